package dev.kiln.modules.text;

import java.util.Locale;

/**
 * Finds a text's words exactly as {@link NgramFeaturizer#words} does, without a regular expression: a run of letters
 * and numbers, then optionally an apostrophe ({@code '} or {@code ’}) and a run of letters, lower-cased in the root
 * locale. Stateless.
 */
final class WordScanner {
    /** Receives the words in order. */
    @FunctionalInterface
    interface Sink {
        void word(String word);
    }

    private WordScanner() {}

    /** Gives {@code sink} each word of {@code text}, lower-cased, in order. */
    static void scan(String text, Sink sink) {
        int length = text.length();
        int i = 0;
        while (i < length) {
            int cp = text.codePointAt(i);
            if (!isLetterOrNumber(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            i = skip(text, i, false);
            if (i + 1 < length && isApostrophe(text.charAt(i)) && Character.isLetter(text.codePointAt(i + 1))) {
                i = skip(text, i + 1, true);
            }
            sink.word(text.substring(start, i).toLowerCase(Locale.ROOT));
        }
    }

    /** The end of the run of letters (and numbers, unless {@code lettersOnly}) starting at {@code i}. */
    private static int skip(String text, int i, boolean lettersOnly) {
        int length = text.length();
        while (i < length) {
            int cp = text.codePointAt(i);
            if (lettersOnly ? !Character.isLetter(cp) : !isLetterOrNumber(cp)) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    private static boolean isApostrophe(char c) {
        return c == '\'' || c == '\u2019';
    }

    /** Unicode's L and N categories, as {@code [\p{L}\p{N}]} matches them. */
    private static boolean isLetterOrNumber(int cp) {
        if (cp < 128) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
        }
        if (Character.isLetter(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER
                || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }
}
