package dev.kiln.modules.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WordScannerTest {
    /** Letters and numbers of every kind, apostrophes, marks, separators, surrogate pairs and case oddities. */
    private static final String[] PIECES = {
        "a",
        "Z",
        "7",
        "é",
        "É",
        "ß",
        "İ",
        "Σ",
        "ς",
        "ǅ",
        "ʰ",
        "中",
        "Ⅻ",
        "½",
        "٣",
        "\u0301",
        "'",
        "\u2019",
        "`",
        " ",
        "\t",
        "\n",
        "-",
        "_",
        ".",
        "<",
        "\uD835\uDD18",
        "\uD83D\uDE00",
        "\uD835",
        "\uDD18",
        "DON'T",
        "it’s",
        "x'",
        "'y",
        "12'ab",
        "ab'12",
        "O'Neil's"
    };

    private final NgramFeaturizer regex = new NgramFeaturizer(2);

    @Test
    void findsTheSameWordsAsTheRegularExpression() {
        Random random = new Random(11);
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder();
            int pieces = random.nextInt(12);
            for (int i = 0; i < pieces; i++) {
                text.append(PIECES[random.nextInt(PIECES.length)]);
            }
            String t = text.toString();
            assertThat(scanned(t)).as(t).isEqualTo(regex.words(t));
        }
    }

    @Test
    void lowerCasesWordsAndKeepsApostrophesFollowedByLetters() {
        assertThat(scanned("Don't STOP, it’s 42 o'clock' x'9"))
                .containsExactly("don't", "stop", "it’s", "42", "o'clock", "x", "9");
    }

    private static List<String> scanned(String text) {
        List<String> words = new ArrayList<>();
        WordScanner.scan(text, words::add);
        return words;
    }
}
