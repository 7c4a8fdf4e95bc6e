package eagle.contracts;

/**
 * One byte range of an HTTP {@code Range: bytes=...} header (RFC 9110 §14.1.2): {@code first-last},
 * {@code first-} or the suffix {@code -length}, resolved against the representation's size; both
 * ends inclusive. The registry and the gateway answer Range with this one parser, so they agree: a
 * single range is served with 206; a header with several ranges, of another unit, or malformed is
 * ignored (the whole body is sent with 200, which the RFC allows); a range starting at or beyond
 * the end is 416.
 *
 * @param first first byte offset, inclusive
 * @param last last byte offset, inclusive
 */
public record ByteRange(long first, long last) {

    /** What a Range header asks for, against a body of {@code size} bytes. */
    public sealed interface Request permits Whole, Part, Unsatisfiable {}

    /** No (usable) Range: send everything with 200. */
    public record Whole() implements Request {}

    /** One satisfiable range: send it with 206. */
    public record Part(ByteRange range) implements Request {}

    /**
     * A range that selects no byte of the body: 416 with {@code Content-Range: bytes *}{@code
     * /size}.
     */
    public record Unsatisfiable(String reason) implements Request {}

    public long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} value of a 206 answer. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /** Parses {@code header} (null for none) against a body of {@code size} bytes. */
    public static Request parse(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return new Whole();
        }
        String spec = h.substring(6).trim();
        if (spec.contains(",")) {
            return new Whole();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            if (a.isEmpty()) { // suffix range: the last N bytes
                if (b.isEmpty()) {
                    return new Whole();
                }
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    return new Unsatisfiable(
                            "suffix range of " + suffix + " bytes of a " + size + "-byte body");
                }
                return new Part(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
            if (first < 0 || last < first) {
                return new Whole(); // invalid syntax: the header is ignored
            }
            if (first >= size) {
                return new Unsatisfiable(
                        "range starts at " + first + " but the body has " + size + " bytes");
            }
            return new Part(new ByteRange(first, Math.min(last, size - 1)));
        } catch (NumberFormatException e) {
            return new Whole(); // a malformed Range is ignored, as RFC 9110 allows
        }
    }
}
