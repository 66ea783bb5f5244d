package dev.kiln.module;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Describes one training parameter: a component of a module's parameters record. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER})
public @interface Param {
    /** One sentence for help text and schemas. */
    String description() default "";

    /** The default as JSON text ({@code "10"}, {@code "0.1"}, {@code "\"lr\""}); empty means none. */
    String defaultValue() default "";

    /** Whether a value must be given; parameters without a default and of primitive type are always required. */
    boolean required() default false;
}
