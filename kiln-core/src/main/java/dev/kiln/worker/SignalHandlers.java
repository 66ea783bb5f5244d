package dev.kiln.worker;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * Runs code when the JVM receives a POSIX signal, through the JDK's {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}), used reflectively so that the worker still runs where it is missing.
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
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            InvocationHandler dispatch = (proxy, method, args) -> switch (method.getName()) {
                case "handle" -> {
                    action.run();
                    yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> "kiln-sig" + name.toLowerCase(java.util.Locale.ROOT) + "-handler";
            };
            Object handler = Proxy.newProxyInstance(
                    SignalHandlers.class.getClassLoader(), new Class<?>[] {handlerClass}, dispatch);
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
