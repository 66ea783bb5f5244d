package dev.kiln.bench;

/** The smallest Java program, started by the harness to measure this machine's bare JVM start-up. */
public final class Hello {
    private Hello() {}

    public static void main(String[] args) {
        System.out.println("Hello");
    }
}
