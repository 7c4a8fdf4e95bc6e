package eagle.ingest.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The parser's hand-written digest and URI checks accept exactly what the schema's patterns do. */
class AnnotationParserPatternsTest {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern URI = Pattern.compile("^(file|https?)://.+");

    @Test
    void digestCheckIsThePattern() {
        String good = "0123456789abcdef".repeat(4);
        List<String> samples =
                List.of(
                        good,
                        good.toUpperCase(),
                        good.substring(1),
                        good + "0",
                        "",
                        "g".repeat(64),
                        good.substring(0, 63) + "\u0660",
                        good.substring(0, 63) + " ");
        samples.forEach(
                s -> assertEquals(SHA256.matcher(s).matches(), AnnotationParser.isSha256Hex(s), s));
        Random random = new Random(3);
        String alphabet = "0123456789abcdefABCDEFgz-";
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(10) == 0 ? random.nextInt(70) : 64;
            for (int j = 0; j < n; j++) {
                s.append(
                        random.nextInt(50) == 0
                                ? alphabet.charAt(random.nextInt(alphabet.length()))
                                : "0123456789abcdef".charAt(random.nextInt(16)));
            }
            boolean expected = SHA256.matcher(s).matches();
            accepted += expected ? 1 : 0;
            assertEquals(expected, AnnotationParser.isSha256Hex(s.toString()), s.toString());
        }
        assertTrue(
                accepted > 1000 && accepted < 19_000, "both outcomes were exercised: " + accepted);
    }

    @Test
    void uriCheckIsThePattern() {
        List<String> samples =
                List.of(
                        "file:///a.png",
                        "http://h/x",
                        "https://h/x",
                        "file://",
                        "http://",
                        "https://",
                        "ftp://h/x",
                        "FILE:///a",
                        "httpss://h",
                        "https:/h",
                        " file:///a",
                        "file:///a\nb",
                        "file:///a\r",
                        "http://h/\u2028",
                        "http://h/\u0085x",
                        "http://h/\u2029",
                        "https://h/\tx",
                        "file:///ä",
                        "",
                        "http:");
        int accepted = 0;
        for (String s : samples) {
            boolean expected = URI.matcher(s).matches();
            accepted += expected ? 1 : 0;
            assertEquals(expected, AnnotationParser.hasImageScheme(s), s);
        }
        assertTrue(accepted >= 5 && accepted < samples.size(), "both outcomes were exercised");
    }
}
