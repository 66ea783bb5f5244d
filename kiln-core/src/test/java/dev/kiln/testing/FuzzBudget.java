package dev.kiln.testing;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The fuzz suites' seed and budget: every property runs with the seed {@value #DEFAULT_SEED} and the tries its
 * {@code @Property} names, so {@code verify} is reproducible and bounded; {@code -Dkiln.fuzz.seed=<n>} runs another
 * seed and {@code -Dkiln.fuzz.factor=<n>} multiplies the tries for a longer run.
 */
public final class FuzzBudget implements AroundPropertyHook {
    /** The seed {@code verify} runs with. */
    public static final String DEFAULT_SEED = "20261206";

    /** The system property that names another seed. */
    public static final String SEED_PROPERTY = "kiln.fuzz.seed";

    /** The system property that multiplies every property's tries. */
    public static final String FACTOR_PROPERTY = "kiln.fuzz.factor";

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String seed = System.getProperty(SEED_PROPERTY, DEFAULT_SEED);
        int factor = Integer.parseInt(System.getProperty(FACTOR_PROPERTY, "1"));
        context.attributes().setSeed(seed);
        context.attributes().tries().ifPresent(tries -> context.attributes().setTries(tries * factor));
        return property.execute();
    }

    @Override
    public PropagationMode propagateTo() {
        // registered on a test class, it applies to the properties inside
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public int aroundPropertyProximity() {
        // outside every other hook, so the seed is set before anything generates
        return -100;
    }
}
