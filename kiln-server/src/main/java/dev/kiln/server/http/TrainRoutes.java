package dev.kiln.server.http;

import dev.kiln.error.KilnException;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import dev.kiln.serving.task.TaskNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * caikit's training routes: {@code /api/v1/<TaskClass><Module>Train} for every module, named by caikit's rule
 * ({@code get_train_rpc_name} in {@code caikit/runtime/names.py}) with the task's class name, such as
 * {@code /api/v1/TextClassificationTaskTextClassifierTrain}; the earlier {@code /api/v1/<Task><Module>Train} stays an
 * alias.
 */
public final class TrainRoutes {
    /** The prefix of every training route. */
    public static final String PREFIX = "/api/v1/";

    private final Map<String, ModuleType<?, ?>> byName = new LinkedHashMap<>();
    private final Map<String, ModuleType<?, ?>> aliases = new LinkedHashMap<>();

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
        for (ModuleType<?, ?> m : modules.all()) {
            String alias = aliasName(m.descriptor());
            if (!byName.containsKey(alias)) {
                aliases.putIfAbsent(alias, m);
            }
        }
    }

    /** The route's last segment for a module, caikit's train RPC name: its task class, its name and {@code Train}. */
    public static String rpcName(ModuleDescriptor d) {
        return TaskNames.className(d.task()) + d.name() + "Train";
    }

    /** The earlier route's last segment: the module's declared task, its name and {@code Train}. */
    static String aliasName(ModuleDescriptor d) {
        return d.task() + d.name() + "Train";
    }

    /** The full paths of a module's alias routes (none when its task already ends in {@code Task}). */
    public List<String> aliasPaths(ModuleDescriptor d) {
        String alias = aliasName(d);
        return aliases.containsKey(alias)
                        && aliases.get(alias).descriptor().id().equals(d.id())
                ? List.of(PREFIX + alias)
                : List.of();
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
            m = aliases.get(rpcName);
        }
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
