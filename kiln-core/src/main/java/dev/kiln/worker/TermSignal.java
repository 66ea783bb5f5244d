package dev.kiln.worker;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * Turns SIGTERM into a cancellation request instead of an immediate shutdown, so the training can stop at its next
 * check, the worker can write {@code cancelled} and remove partial output. A shutdown hook cannot do this safely:
 * it would also run when the training itself calls {@code System.exit}. Uses the JDK's {@code sun.misc.Signal}
 * (module {@code jdk.unsupported}) reflectively; where it is missing, a shutdown hook requests the cancellation and
 * gives the training a moment to stop.
 */
final class TermSignal {
    private static final long HOOK_WAIT_MILLIS = 5_000;

    private TermSignal() {}

    /**
     * Runs {@code onTerm} on SIGTERM.
     *
     * @param training the thread to wait for when only a shutdown hook is available
     */
    static void install(Runnable onTerm, Thread training) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance("TERM");
            InvocationHandler dispatch = (proxy, method, args) -> switch (method.getName()) {
                case "handle" -> {
                    onTerm.run();
                    yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> "kiln-sigterm-handler";
            };
            Object handler =
                    Proxy.newProxyInstance(TermSignal.class.getClassLoader(), new Class<?>[] {handlerClass}, dispatch);
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                onTerm.run();
                                try {
                                    training.join(HOOK_WAIT_MILLIS);
                                } catch (InterruptedException interrupted) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "kiln-sigterm-hook"));
        }
    }
}
