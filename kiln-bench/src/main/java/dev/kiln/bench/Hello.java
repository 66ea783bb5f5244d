package dev.kiln.bench;

/**
 * The smallest Java program, started by the harness to measure this machine's bare JVM start-up; with the argument
 * {@code wait} it says {@code ready} and then blocks until its input ends, to be killed.
 */
public final class Hello {
    private Hello() {}

    public static void main(String[] args) throws java.io.IOException {
        if (args.length > 0 && args[0].equals("wait")) {
            System.out.println("ready");
            System.out.flush();
            System.in.read();
            return;
        }
        System.out.println("Hello");
    }
}
