package dev.kiln.module;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Declares a module type's stable identity; every {@link ModuleType} implementation carries it. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ModuleInfo {
    /** A stable UUID string that never changes across versions, like caikit's MODULE_ID. */
    String id();

    /** A short name, unique among modules, used on the command line and in HTTP routes. */
    String name();

    /** The module's version, written into every saved model. */
    String version();

    /** The task the module performs, such as {@code TextClassification}. */
    String task();
}
