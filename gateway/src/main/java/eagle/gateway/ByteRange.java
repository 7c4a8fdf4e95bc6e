package eagle.gateway;

/**
 * One byte range of an HTTP {@code Range: bytes=...} header (RFC 9110 §14.1.2): {@code first-last},
 * {@code first-} or the suffix {@code -length}, resolved against the representation's size. Only a single
 * range is supported; a header with several, or of another unit, is ignored (the whole body is sent), which
 * the RFC allows.
 *
 * @param first first byte offset, inclusive
 * @param last  last byte offset, inclusive
 */
public record ByteRange(long first, long last) {

    /** What a Range header asks for, against a body of {@code size} bytes. */
    public sealed interface Request permits Whole, Part, Unsatisfiable {
    }

    /** No (usable) Range: send everything with 200. */
    public record Whole() implements Request {
    }

    /** One satisfiable range: send it with 206. */
    public record Part(ByteRange range) implements Request {
    }

    /** A range that starts at or beyond the end: 416. */
    public record Unsatisfiable() implements Request {
    }

    public long length() {
        return last - first + 1;
    }

    /** Parses {@code header} (null for none) against a body of {@code size} bytes. */
    public static Request parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=")) {
            return new Whole();
        }
        String spec = header.substring("bytes=".length()).trim();
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
            if (a.isEmpty()) {
                if (b.isEmpty()) {
                    return new Whole();
                }
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    return new Unsatisfiable();
                }
                return new Part(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
            if (first < 0 || last < first) {
                return new Whole();
            }
            if (first >= size) {
                return new Unsatisfiable();
            }
            return new Part(new ByteRange(first, Math.min(last, size - 1)));
        } catch (NumberFormatException e) {
            return new Whole(); // a malformed Range is ignored, as RFC 9110 allows
        }
    }
}
