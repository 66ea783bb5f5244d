package dev.kiln.worker;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Runs code when the JVM receives a POSIX signal, through the JDK's {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}), used reflectively so that the worker still runs where it is missing. The handler is made
 * the way the JVM makes a lambda ({@link LambdaMetafactory}): in a worker's first milliseconds that costs about half
 * of what a {@link java.lang.reflect.Proxy} does (a proxy class and its module are generated at run time).
 */
final class SignalHandlers {
    private SignalHandlers() {}

    /**
     * Runs {@code action} on the JVM's signal thread each time signal {@code name} ({@code TERM}, {@code USR1})
     * arrives.
     *
     * @return false if no handler could be installed: the JDK has no {@code sun.misc.Signal}, or the JVM keeps the
     *     signal for itself
     */
    static boolean handle(String name, Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodType handle = MethodType.methodType(void.class, signalClass);
            CallSite handlers = LambdaMetafactory.metafactory(
                    lookup,
                    "handle",
                    MethodType.methodType(handlerClass, Runnable.class),
                    handle,
                    lookup.findStatic(
                            SignalHandlers.class,
                            "dispatch",
                            MethodType.methodType(void.class, Runnable.class, Object.class)),
                    handle);
            Object handler = handlers.getTarget().invoke(action);
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
            return true;
        } catch (Throwable e) { // the handler's factory is a method handle, which may throw anything
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            return false;
        }
    }

    /** The body of every handler: the signal itself is not needed. */
    @SuppressWarnings("unused") // called through the handler made in handle
    private static void dispatch(Runnable action, Object signal) {
        action.run();
    }
}
