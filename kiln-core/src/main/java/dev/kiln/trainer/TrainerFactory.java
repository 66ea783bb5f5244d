package dev.kiln.trainer;

import dev.kiln.config.TrainerConfig;
import dev.kiln.error.KilnException;
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Creates trainers by {@code type} name (providers found with ServiceLoader) or by {@code import_class}. */
public final class TrainerFactory {
    private final Map<String, TrainerProvider> providers;

    private TrainerFactory(Map<String, TrainerProvider> providers) {
        this.providers = providers;
    }

    /** The providers on the class path. */
    public static TrainerFactory discover() {
        Map<String, TrainerProvider> found = new TreeMap<>();
        for (TrainerProvider p :
                ServiceLoader.load(TrainerProvider.class, Thread.currentThread().getContextClassLoader())) {
            found.putIfAbsent(p.type(), p);
        }
        return new TrainerFactory(found);
    }

    /** A factory over exactly these providers. */
    public static TrainerFactory of(TrainerProvider... providers) {
        Map<String, TrainerProvider> map = new LinkedHashMap<>();
        for (TrainerProvider p : providers) {
            map.put(p.type(), p);
        }
        return new TrainerFactory(map);
    }

    /** The known type names. */
    public java.util.Set<String> types() {
        return providers.keySet();
    }

    /**
     * Creates the trainer a config entry describes.
     *
     * @throws KilnException INVALID_ARGUMENT for an unknown type (listing the known ones) or an unusable
     *     {@code import_class}
     */
    public ModelTrainer create(TrainerConfig config) {
        if (config.importClass() != null) {
            return fromClass(config);
        }
        TrainerProvider provider = providers.get(config.type());
        if (provider == null) {
            throw KilnException.invalidArgument("Unknown trainer type '" + config.type() + "' for trainer "
                    + config.name() + "; known types: " + String.join(", ", providers.keySet()));
        }
        return provider.create(config);
    }

    private ModelTrainer fromClass(TrainerConfig config) {
        String name = config.importClass();
        try {
            Class<?> cls = Class.forName(name, true, Thread.currentThread().getContextClassLoader());
            if (TrainerProvider.class.isAssignableFrom(cls)) {
                return ((TrainerProvider) cls.getDeclaredConstructor().newInstance()).create(config);
            }
            if (ModelTrainer.class.isAssignableFrom(cls)) {
                return (ModelTrainer)
                        cls.getDeclaredConstructor(TrainerConfig.class).newInstance(config);
            }
            throw KilnException.invalidArgument("import_class " + name + " of trainer " + config.name()
                    + " is neither a TrainerProvider nor a ModelTrainer");
        } catch (ClassNotFoundException e) {
            throw KilnException.invalidArgument(
                    "import_class " + name + " of trainer " + config.name() + " is not on the class path");
        } catch (NoSuchMethodException e) {
            throw KilnException.invalidArgument("import_class " + name + " of trainer " + config.name()
                    + " needs a public constructor taking a TrainerConfig");
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof KilnException ke) {
                throw ke;
            }
            throw KilnException.invalidArgument(
                    "import_class " + name + " of trainer " + config.name() + " failed to start: " + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw KilnException.invalidArgument(
                    "import_class " + name + " of trainer " + config.name() + " cannot be constructed: " + e);
        }
    }
}
