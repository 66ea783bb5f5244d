package dev.kiln.server.http;

import dev.kiln.error.KilnException;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import java.util.LinkedHashMap;
import java.util.Map;

/** caikit's training routes: {@code /api/v1/{Task}{Module}Train} for every module, such as
 * {@code /api/v1/TextClassificationTextClassifierTrain}. */
public final class TrainRoutes {
    /** The prefix of every training route. */
    public static final String PREFIX = "/api/v1/";

    private final Map<String, ModuleType<?, ?>> byName = new LinkedHashMap<>();

    /**
     * The routes of every module in the registry.
     *
     * @throws KilnException INVALID_ARGUMENT if two modules would share a route
     */
    public TrainRoutes(ModuleRegistry modules) {
        for (ModuleType<?, ?> m : modules.all()) {
            String name = rpcName(m.descriptor());
            ModuleType<?, ?> clash = byName.putIfAbsent(name, m);
            if (clash != null) {
                throw KilnException.invalidArgument(
                        "Modules " + clash.descriptor().name() + " and "
                                + m.descriptor().name() + " would share the training route " + PREFIX + name);
            }
        }
    }

    /** The route's last segment for a module: its task, its name and {@code Train}. */
    public static String rpcName(ModuleDescriptor d) {
        return d.task() + d.name() + "Train";
    }

    /** The full path of a module's training route. */
    public static String path(ModuleDescriptor d) {
        return PREFIX + rpcName(d);
    }

    /** The modules with routes, by route name. */
    public Map<String, ModuleType<?, ?>> all() {
        return Map.copyOf(byName);
    }

    /**
     * The module whose training route ends in {@code rpcName}.
     *
     * @throws KilnException NOT_FOUND listing the known training routes
     */
    public ModuleType<?, ?> module(String rpcName) {
        ModuleType<?, ?> m = byName.get(rpcName);
        if (m == null) {
            throw KilnException.notFound("No module trains at " + PREFIX + rpcName + "; training routes: "
                    + (byName.isEmpty()
                            ? "none"
                            : String.join(
                                    ", ",
                                    byName.keySet().stream()
                                            .map(n -> PREFIX + n)
                                            .toList())));
        }
        return m;
    }
}
