package eagle.ingest.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.AnnotationEvent;
import eagle.contracts.DeadLetter.Reason;
import eagle.ingest.IngestConfig;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Bytes → {@link ParsedAnnotation}, enforcing {@code schemas/annotation.v1.json} by hand (each
 * violation names the field), the class name's bounds ({@link ClassNames}) and the taxonomy. No
 * I/O.
 */
public final class AnnotationParser {

    private static final Set<String> FIELDS =
            Set.of(
                    "schemaVersion",
                    "imageId",
                    "instanceId",
                    "className",
                    "mask",
                    "image",
                    "annotator",
                    "time");

    private final IngestConfig config;
    private final ObjectMapper json;

    public AnnotationParser(IngestConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    /**
     * @param key the record key (must equal imageId)
     * @param value the record value, not null
     */
    public ParsedAnnotation parse(String key, byte[] value) throws Rejection {
        JsonNode root;
        try {
            root = json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new Rejection(Reason.UNPARSABLE, "not JSON", e);
        } catch (IOException e) {
            throw new Rejection(Reason.UNPARSABLE, "unreadable bytes", e);
        }
        if (root == null || !root.isObject()) {
            throw new Rejection(Reason.UNPARSABLE, "not a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                throw new Rejection(Reason.SCHEMA, "unknown field '" + name + "'");
            }
        }
        JsonNode version = root.get("schemaVersion");
        if (version == null
                || !version.isInt()
                || version.intValue() != AnnotationEvent.SCHEMA_VERSION) {
            throw new Rejection(
                    Reason.SCHEMA,
                    "schemaVersion must be " + AnnotationEvent.SCHEMA_VERSION + ", got " + version);
        }
        String imageId = text(root, "imageId");
        if (!imageId.equals(key)) {
            throw new Rejection(
                    Reason.SCHEMA,
                    "record key '" + key + "' differs from imageId '" + imageId + "'");
        }
        String instanceId = text(root, "instanceId");
        String className = text(root, "className");
        String annotator = text(root, "annotator");
        Instant time;
        try {
            time = instant(text(root, "time"));
        } catch (DateTimeParseException e) {
            throw new Rejection(Reason.SCHEMA, "time is not an ISO-8601 instant", e);
        }
        ParsedAnnotation.MaskSpec mask = mask(object(root, "mask"));
        ParsedAnnotation.ImageSpec image = image(object(root, "image"));
        String classNameProblem = ClassNames.problem(className);
        if (classNameProblem != null) {
            throw new Rejection(Reason.CLASS_NAME_INVALID, classNameProblem);
        }
        if (config.taxonomyClosed() && !config.taxonomy().contains(className)) {
            throw new Rejection(
                    Reason.UNKNOWN_CLASS, "class '" + className + "' is not in the taxonomy");
        }
        return new ParsedAnnotation(imageId, instanceId, className, mask, image, annotator, time);
    }

    /**
     * {@link Instant#parse} (ISO-8601, UTC), with a fast path for the usual {@code
     * yyyy-MM-ddTHH:mm:ss[.f…]Z}: Instant.parse costs more than the rest of the event's parsing.
     * Anything the fast path does not fully understand (offsets, leap seconds, out-of-range fields)
     * goes to Instant.parse, so what is accepted and what is rejected does not change.
     */
    static Instant instant(String text) {
        Instant fast = fastInstant(text);
        return fast != null ? fast : Instant.parse(text);
    }

    private static Instant fastInstant(String s) {
        int n = s.length();
        if (n < 20
                || n > 30
                || s.charAt(n - 1) != 'Z'
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > 28
                || hour > 23
                || minute > 59
                || second > 59) {
            return null; // (days 29–31 too: month lengths and leap years are Instant.parse's
            // business)
        }
        int nanos = 0;
        if (n > 20) {
            int digits = n - 21;
            if (s.charAt(19) != '.' || digits < 1 || digits > 9) {
                return null;
            }
            nanos = digits(s, 20, n - 1);
            if (nanos < 0) {
                return null;
            }
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
        } else if (s.charAt(19) != 'Z') {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(
                epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal value of s[from, to), or −1 when a character is not an ASCII digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static ParsedAnnotation.MaskSpec mask(JsonNode mask) throws Rejection {
        allowOnly(mask, "mask", Set.of("size", "counts", "polygons"));
        int[] size = mask.has("size") ? size(mask.get("size")) : null;
        JsonNode counts = mask.get("counts");
        JsonNode polygons = mask.get("polygons");
        if ((counts == null) == (polygons == null)) {
            throw new Rejection(Reason.SCHEMA, "mask needs exactly one of 'counts' and 'polygons'");
        }
        if (counts != null) {
            if (size == null) {
                throw new Rejection(Reason.SCHEMA, "an RLE mask needs 'size' [height, width]");
            }
            if (counts.isTextual() && !counts.textValue().isEmpty()) {
                return new ParsedAnnotation.CompressedRle(size, counts.textValue());
            }
            if (counts.isArray()) {
                long[] runs = new long[counts.size()];
                for (int i = 0; i < runs.length; i++) {
                    JsonNode run = counts.get(i);
                    if (!run.isIntegralNumber() || run.longValue() < 0) {
                        throw new Rejection(
                                Reason.SCHEMA,
                                "mask.counts[" + i + "] is not a non-negative integer");
                    }
                    runs[i] = run.longValue();
                }
                return new ParsedAnnotation.CountsRle(size, runs);
            }
            throw new Rejection(
                    Reason.SCHEMA,
                    "mask.counts must be a non-empty string or an array of integers");
        }
        if (!polygons.isArray() || polygons.isEmpty()) {
            throw new Rejection(Reason.SCHEMA, "mask.polygons must be a non-empty array");
        }
        List<double[]> out = new ArrayList<>();
        for (int p = 0; p < polygons.size(); p++) {
            JsonNode poly = polygons.get(p);
            if (!poly.isArray()) {
                throw new Rejection(Reason.SCHEMA, "mask.polygons[" + p + "] is not an array");
            }
            double[] xy = new double[poly.size()];
            for (int i = 0; i < xy.length; i++) {
                if (!poly.get(i).isNumber()) {
                    throw new Rejection(
                            Reason.SCHEMA, "mask.polygons[" + p + "][" + i + "] is not a number");
                }
                xy[i] = poly.get(i).doubleValue();
            }
            out.add(xy);
        }
        return new ParsedAnnotation.Polygons(size, out);
    }

    private static int[] size(JsonNode size) throws Rejection {
        if (!size.isArray()
                || size.size() != 2
                || !size.get(0).isInt()
                || !size.get(1).isInt()
                || size.get(0).intValue() < 1
                || size.get(1).intValue() < 1) {
            throw new Rejection(
                    Reason.SCHEMA,
                    "mask.size must be [height, width] with positive integers, got " + size);
        }
        return new int[] {size.get(0).intValue(), size.get(1).intValue()};
    }

    private static ParsedAnnotation.ImageSpec image(JsonNode image) throws Rejection {
        allowOnly(image, "image", Set.of("uri", "sha256", "data"));
        String sha256 = null;
        if (image.has("sha256")) {
            sha256 = image.get("sha256").asText();
            if (!image.get("sha256").isTextual() || !isSha256Hex(sha256)) {
                throw new Rejection(Reason.SCHEMA, "image.sha256 must be 64 lower-case hex digits");
            }
        }
        boolean hasUri = image.has("uri");
        if (hasUri == image.has("data")) {
            throw new Rejection(Reason.SCHEMA, "image needs exactly one of 'uri' and 'data'");
        }
        if (hasUri) {
            String uri = text(image, "uri");
            if (!hasImageScheme(uri)) {
                throw new Rejection(
                        Reason.SCHEMA,
                        "image.uri must be file://, http:// or https://, got " + uri);
            }
            if (sha256 == null) {
                throw new Rejection(Reason.SCHEMA, "an image uri needs its sha256");
            }
            return new ParsedAnnotation.UriImage(uri, sha256);
        }
        try {
            return new ParsedAnnotation.InlineImage(
                    Base64.getDecoder().decode(text(image, "data")), sha256);
        } catch (IllegalArgumentException e) {
            throw new Rejection(Reason.SCHEMA, "image.data is not base64", e);
        }
    }

    /**
     * {@code [0-9a-f]{64}} (by hand: a regex match costs more than the rest of the image's checks).
     */
    static boolean isSha256Hex(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code (file|https?)://.+} where {@code .} is any character but a line terminator (as in a
     * regex).
     */
    static boolean hasImageScheme(String uri) {
        int rest =
                uri.startsWith("file://")
                        ? 7
                        : uri.startsWith("http://") ? 7 : uri.startsWith("https://") ? 8 : -1;
        if (rest < 0 || uri.length() == rest) {
            return false;
        }
        for (int i = rest; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }

    private static void allowOnly(JsonNode node, String where, Set<String> names) throws Rejection {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name)) {
                throw new Rejection(Reason.SCHEMA, "unknown field '" + where + "." + name + "'");
            }
        }
    }

    private static String text(JsonNode node, String field) throws Rejection {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            throw new Rejection(Reason.SCHEMA, "'" + field + "' must be a non-empty string");
        }
        return v.textValue();
    }

    private static JsonNode object(JsonNode node, String field) throws Rejection {
        JsonNode v = node.get(field);
        if (v == null || !v.isObject()) {
            throw new Rejection(Reason.SCHEMA, "'" + field + "' must be an object");
        }
        return v;
    }
}
