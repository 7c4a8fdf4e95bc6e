package eagle.core.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * OpenAI CLIP's byte-level BPE tokenizer ({@code clip/simple_tokenizer.py}), built from its merges
 * file {@code bpe_simple_vocab_16e6.txt.gz}:
 *
 * <ol>
 *   <li>clean: unescape HTML entities twice, collapse whitespace runs to one space, trim,
 *       lower-case ({@code ftfy.fix_text} is not applied: texts are expected to be valid Unicode
 *       already);
 *   <li>split with CLIP's pattern {@code
 *       <|startoftext|>|<|endoftext|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+| [\p{N}]|[^\s\p{L}\p{N}]+};
 *   <li>map each piece's UTF-8 bytes to printable characters (GPT-2's byte-to-unicode table), mark
 *       the last one with {@code </w>}, and merge the adjacent pair of lowest merge rank until none
 *       is left;
 *   <li>look the symbols up in the vocabulary: the 256 byte symbols, the same with {@code </w>},
 *       one per merge (merges 1 .. 48894 of the file), then {@code <|startoftext|>} = 49406 and
 *       {@code <|endoftext|>} = 49407.
 * </ol>
 *
 * Context length 77. Thread-safe; merged words are cached.
 */
public final class ClipBpeTokenizer implements Tokenizer {

    /** CLIP's context length. */
    public static final int CONTEXT_LENGTH = 77;

    /** Merges used by CLIP: {@code 49152 - 256 - 2}. */
    public static final int MERGE_COUNT = 49152 - 256 - 2;

    /** V: 256 byte symbols, the same with {@code </w>}, one per merge, start and end: 49408. */
    public static final int VOCAB_SIZE = 2 * 256 + MERGE_COUNT + 2;

    private static final String START = "<|startoftext|>";
    private static final String END = "<|endoftext|>";
    private static final Pattern PIECES =
            Pattern.compile(
                    "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
                    Pattern.CASE_INSENSITIVE
                            | Pattern.UNICODE_CASE
                            | Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WHITESPACE =
            Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern ENTITY =
            Pattern.compile("&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);");
    private static final Map<String, String> NAMED_ENTITIES =
            Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'", "nbsp", "\u00a0");
    private static final int CACHE_LIMIT = 100_000;

    private final char[] byteEncoder;
    private final Map<String, Integer> encoder;
    private final Map<String, Integer> mergeRanks;
    private final Map<String, int[]> cache;
    private final int contextLength;

    private ClipBpeTokenizer(List<String[]> merges, int contextLength) {
        if (contextLength < 2) {
            throw new IllegalArgumentException(
                    "context length must hold start and end tokens, was " + contextLength);
        }
        this.contextLength = contextLength;
        this.cache = new ConcurrentHashMap<>();
        this.byteEncoder = bytesToUnicode();
        List<String> vocabulary = new ArrayList<>();
        for (int b : byteOrder()) {
            vocabulary.add(String.valueOf(byteEncoder[b]));
        }
        for (int i = 0; i < 256; i++) {
            vocabulary.add(vocabulary.get(i) + "</w>");
        }
        this.mergeRanks = new HashMap<>();
        for (String[] merge : merges) {
            vocabulary.add(merge[0] + merge[1]);
            mergeRanks.put(merge[0] + " " + merge[1], mergeRanks.size());
        }
        vocabulary.add(START);
        vocabulary.add(END);
        this.encoder = new HashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            encoder.put(vocabulary.get(i), i);
        }
    }

    /** The same vocabulary (shared tables and cache) with another context length. */
    private ClipBpeTokenizer(ClipBpeTokenizer source, int contextLength) {
        if (contextLength < 2) {
            throw new IllegalArgumentException(
                    "context length must hold start and end tokens, was " + contextLength);
        }
        this.contextLength = contextLength;
        this.byteEncoder = source.byteEncoder;
        this.encoder = source.encoder;
        this.mergeRanks = source.mergeRanks;
        this.cache = source.cache;
    }

    /**
     * Classpath resource of CLIP's merges file that ships with core (OpenAI's MIT licence and
     * provenance beside it in {@code core/src/main/resources/eagle/core/text/}).
     */
    public static final String BUNDLED_RESOURCE = "/eagle/core/text/bpe_simple_vocab_16e6.txt.gz";

    /**
     * sha256 of the bundled merges file: a version's tokenizer names the vocabulary it was trained
     * with.
     */
    public static final String BUNDLED_VOCAB_SHA256 =
            "924691ac288e54409236115652ad4aa250f48203de50a9e4722a6ecd48d6804a";

    private static volatile ClipBpeTokenizer bundled;

    /**
     * CLIP's tokenizer from the merges file that ships with core, context length 77 (built once).
     */
    public static ClipBpeTokenizer bundled() {
        ClipBpeTokenizer t = bundled;
        if (t == null) {
            synchronized (ClipBpeTokenizer.class) {
                t = bundled;
                if (t == null) {
                    try (InputStream in =
                            ClipBpeTokenizer.class.getResourceAsStream(BUNDLED_RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException(
                                    "core's resource " + BUNDLED_RESOURCE + " is missing");
                        }
                        t = fromMerges(in, BUNDLED_RESOURCE, CONTEXT_LENGTH);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    bundled = t;
                }
            }
        }
        return t;
    }

    /**
     * CLIP's tokenizer from the merges file that ships with core, with context length {@code
     * contextLength} (shares the vocabulary of {@link #bundled()}).
     */
    public static ClipBpeTokenizer bundled(int contextLength) {
        return contextLength == CONTEXT_LENGTH
                ? bundled()
                : new ClipBpeTokenizer(bundled(), contextLength);
    }

    /** The tokenizer of a gzipped merges file, with CLIP's context length 77. */
    public static ClipBpeTokenizer fromMergesFile(Path gzippedMerges) throws IOException {
        return fromMergesFile(gzippedMerges, CONTEXT_LENGTH);
    }

    /**
     * The tokenizer of a gzipped merges file (a version line, then one merge "a b" per line).
     *
     * @throws IllegalArgumentException when the file holds fewer than {@link #MERGE_COUNT} merges
     */
    public static ClipBpeTokenizer fromMergesFile(Path gzippedMerges, int contextLength)
            throws IOException {
        try (InputStream in = Files.newInputStream(gzippedMerges)) {
            return fromMerges(in, gzippedMerges.toString(), contextLength);
        }
    }

    private static ClipBpeTokenizer fromMerges(
            InputStream gzipped, String gzippedMerges, int contextLength) throws IOException {
        try (InputStream in = new GZIPInputStream(gzipped);
                BufferedReader reader =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.readLine(); // "#version: 0.2"
            List<String[]> merges = new ArrayList<>(MERGE_COUNT);
            String line;
            while (merges.size() < MERGE_COUNT && (line = reader.readLine()) != null) {
                String[] pair = line.split(" ");
                if (pair.length != 2) {
                    throw new IllegalArgumentException(
                            gzippedMerges
                                    + " line "
                                    + (merges.size() + 2)
                                    + " is not a merge 'a b': "
                                    + line);
                }
                merges.add(pair);
            }
            if (merges.size() < MERGE_COUNT) {
                throw new IllegalArgumentException(
                        gzippedMerges
                                + " holds "
                                + merges.size()
                                + " merges, CLIP needs "
                                + MERGE_COUNT);
            }
            return new ClipBpeTokenizer(merges, contextLength);
        }
    }

    @Override
    public int[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        ids.add(startToken());
        Matcher matcher = PIECES.matcher(clean(text));
        while (matcher.find()) {
            for (int id : encodePiece(matcher.group())) {
                ids.add(id);
            }
        }
        ids.add(endToken());
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public int vocabSize() {
        return encoder.size();
    }

    @Override
    public int startToken() {
        return encoder.get(START);
    }

    @Override
    public int endToken() {
        return encoder.get(END);
    }

    /** CLIP's {@code whitespace_clean(basic_clean(text)).lower()}, without ftfy. */
    static String clean(String text) {
        String unescaped = unescapeHtml(unescapeHtml(text));
        return WHITESPACE.matcher(unescaped).replaceAll(" ").strip().toLowerCase(Locale.ROOT);
    }

    private int[] encodePiece(String piece) {
        if (piece.equals(START) || piece.equals(END)) {
            return new int[] {encoder.get(piece)};
        }
        int[] cached = cache.get(piece);
        if (cached != null) {
            return cached;
        }
        byte[] utf8 = piece.getBytes(StandardCharsets.UTF_8);
        List<String> word = new ArrayList<>(utf8.length);
        for (byte b : utf8) {
            word.add(String.valueOf(byteEncoder[b & 0xFF]));
        }
        word.set(word.size() - 1, word.get(word.size() - 1) + "</w>");
        List<String> merged = bpe(word);
        int[] ids = new int[merged.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = encoder.get(merged.get(i));
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(piece, ids);
        return ids;
    }

    /**
     * Repeatedly merges every occurrence, left to right, of the adjacent pair with the lowest rank.
     */
    private List<String> bpe(List<String> symbols) {
        List<String> word = symbols;
        while (word.size() > 1) {
            String best = null;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < word.size(); i++) {
                Integer rank = mergeRanks.get(word.get(i) + " " + word.get(i + 1));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    best = word.get(i) + " " + word.get(i + 1);
                }
            }
            if (best == null) {
                break;
            }
            int space = best.indexOf(' ');
            String first = best.substring(0, space);
            String second = best.substring(space + 1);
            List<String> next = new ArrayList<>(word.size());
            for (int i = 0; i < word.size(); ) {
                if (i + 1 < word.size()
                        && word.get(i).equals(first)
                        && word.get(i + 1).equals(second)) {
                    next.add(first + second);
                    i += 2;
                } else {
                    next.add(word.get(i));
                    i += 1;
                }
            }
            word = next;
        }
        return word;
    }

    /**
     * GPT-2's reversible byte-to-character table: printable Latin-1 bytes map to themselves, the
     * other 68 bytes to U+0100 onwards in byte order.
     */
    private static char[] bytesToUnicode() {
        char[] table = new char[256];
        int next = 0;
        for (int b = 0; b < 256; b++) {
            table[b] = isPrintable(b) ? (char) b : (char) (256 + next++);
        }
        return table;
    }

    /**
     * Bytes in the order of CLIP's byte vocabulary: the printable ranges first, then the others.
     */
    private static int[] byteOrder() {
        int[] order = new int[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (isPrintable(b)) {
                order[n++] = b;
            }
        }
        for (int b = 0; b < 256; b++) {
            if (!isPrintable(b)) {
                order[n++] = b;
            }
        }
        return order;
    }

    private static boolean isPrintable(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    /**
     * Numeric character references and the common named entities, as Python's {@code
     * html.unescape}.
     */
    private static String unescapeHtml(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher m = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String body = m.group(1);
            String replacement;
            if (body.startsWith("#x") || body.startsWith("#X")) {
                replacement = codePoint(body.substring(2), 16);
            } else if (body.startsWith("#")) {
                replacement = codePoint(body.substring(1), 10);
            } else {
                replacement = NAMED_ENTITIES.get(body);
            }
            m.appendReplacement(
                    out, Matcher.quoteReplacement(replacement == null ? m.group() : replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String codePoint(String digits, int radix) {
        try {
            int cp = Integer.parseInt(digits, radix);
            return Character.isValidCodePoint(cp) && cp != 0
                    ? new String(Character.toChars(cp))
                    : "\uFFFD";
        } catch (NumberFormatException e) {
            return "\uFFFD"; // too many digits for a code point
        }
    }
}
