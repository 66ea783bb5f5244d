package dev.kiln.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Hostile variants of a valid input for the fuzz suites: a few edits (insert a hostile token, delete or duplicate a
 * slice, flip a byte, truncate) at generated positions, so most variants stay close enough to valid to reach deep
 * into the code under test.
 */
public final class Mutations {
    /** Text that breaks parsers, paths and encodings. */
    public static final List<String> HOSTILE = List.of(
            "\u0000",
            "\ud800",
            "\udc00x",
            "\uFEFF",
            "\u202e",
            "𝄞",
            "é",
            "\"",
            "'",
            "\\",
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\n",
            "\r\n",
            "\t",
            "../",
            "../../../../tmp/kiln-fuzz-escape",
            "/",
            "/etc/passwd",
            "%00",
            "%2e%2e%2f",
            "-1",
            "0",
            "1e999",
            "-9223372036854775809",
            "99999999999999999999999999999",
            "NaN",
            "null",
            "true",
            "~",
            "*",
            "&",
            "!!binary",
            "&a [*a, *a]",
            "x".repeat(70_000),
            "[".repeat(3_000),
            "{\"a\":".repeat(1_500));

    private Mutations() {}

    /** Variants of {@code seed}: the seed itself among them, and up to {@code maxEdits} edits of it. */
    public static Arbitrary<byte[]> ofBytes(byte[] seed, int maxEdits) {
        return edit().list().ofMaxSize(maxEdits).map(edits -> {
            byte[] out = seed;
            for (Edit e : edits) {
                out = e.apply(out);
            }
            return out;
        });
    }

    /** Variants of a text, as text (invalid UTF-8 from byte edits is read back with replacement characters). */
    public static Arbitrary<String> ofText(String seed, int maxEdits) {
        Arbitrary<String> byBytes = ofBytes(seed.getBytes(StandardCharsets.UTF_8), maxEdits)
                .map(b -> new String(b, StandardCharsets.UTF_8));
        Arbitrary<String> byChars = Combinators.combine(
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.of(HOSTILE),
                        Arbitraries.integers().between(0, 2))
                .as((at, token, mode) -> {
                    int i = (int) (at * seed.length());
                    return switch (mode) {
                        case 0 -> seed.substring(0, i) + token + seed.substring(i);
                        case 1 -> seed.substring(0, i) + token + seed.substring(Math.min(seed.length(), i + 1));
                        default -> seed.substring(0, i) + token;
                    };
                });
        return Arbitraries.oneOf(byBytes, byBytes, byChars);
    }

    private static Arbitrary<Edit> edit() {
        Arbitrary<Double> at = Arbitraries.doubles().between(0, 1);
        return Arbitraries.oneOf(
                Combinators.combine(at, Arbitraries.of(HOSTILE)).as(Insert::new),
                Combinators.combine(at, Arbitraries.integers().between(1, 64)).as(Delete::new),
                Combinators.combine(at, Arbitraries.integers().between(1, 64)).as(Duplicate::new),
                Combinators.combine(at, Arbitraries.integers().between(0, 255)).as(Flip::new),
                at.map(Truncate::new));
    }

    /** One change to a byte array at a relative position. */
    private interface Edit {
        byte[] apply(byte[] in);

        static int index(double at, int length) {
            return Math.min(length, (int) (at * length));
        }
    }

    private record Insert(double at, String token) implements Edit {
        @Override
        public byte[] apply(byte[] in) {
            int i = Edit.index(at, in.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(in, 0, i);
            out.writeBytes(token.getBytes(StandardCharsets.UTF_8));
            out.write(in, i, in.length - i);
            return out.toByteArray();
        }
    }

    private record Delete(double at, int length) implements Edit {
        @Override
        public byte[] apply(byte[] in) {
            int i = Edit.index(at, in.length);
            int end = Math.min(in.length, i + length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(in, 0, i);
            out.write(in, end, in.length - end);
            return out.toByteArray();
        }
    }

    private record Duplicate(double at, int length) implements Edit {
        @Override
        public byte[] apply(byte[] in) {
            int i = Edit.index(at, in.length);
            int end = Math.min(in.length, i + length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(in, 0, end);
            out.write(in, i, in.length - i);
            return out.toByteArray();
        }
    }

    private record Flip(double at, int value) implements Edit {
        @Override
        public byte[] apply(byte[] in) {
            if (in.length == 0) {
                return in;
            }
            byte[] out = in.clone();
            out[Math.min(in.length - 1, Edit.index(at, in.length))] = (byte) value;
            return out;
        }
    }

    private record Truncate(double at) implements Edit {
        @Override
        public byte[] apply(byte[] in) {
            return java.util.Arrays.copyOf(in, Edit.index(at, in.length));
        }
    }
}
