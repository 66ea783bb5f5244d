package dev.kiln.module;

/**
 * A trainable model type: it trains from typed parameters and loads what it saved. Implementations carry
 * {@link ModuleInfo}, have a public no-argument constructor and are listed for {@link java.util.ServiceLoader}
 * under {@code META-INF/services/dev.kiln.module.ModuleType}, so any JVM can find them by id or name.
 *
 * @param <P> the parameters type: a record whose components round-trip through JSON
 * @param <M> the model type
 */
public interface ModuleType<P, M extends Model> {
    /** The parameters' type, introspected for help text and schemas. */
    Class<P> parametersType();

    /**
     * Checks parameters before any training work; the default accepts all.
     *
     * @throws dev.kiln.error.KilnException with INVALID_ARGUMENT naming the field at fault
     */
    default void validate(P parameters) {}

    /**
     * Trains a model. Long trainings should call {@link TrainingContext#throwIfCancelled()} between rounds and
     * report progress through the context.
     *
     * @throws Exception any failure; the job ends ERRORED with its type and message
     */
    M train(P parameters, TrainingContext context) throws Exception;

    /**
     * Loads a model this module saved.
     *
     * @throws Exception if the artifacts are missing or corrupt
     */
    M load(ModelDirectory directory) throws Exception;

    /** This module's identity. */
    default ModuleDescriptor descriptor() {
        return ModuleDescriptor.of(getClass());
    }
}
