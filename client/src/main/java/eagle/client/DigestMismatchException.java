package eagle.client;

/**
 * A downloaded artifact whose bytes do not hash to the digest the registry names: nothing is kept
 * (code {@code DIGEST_MISMATCH}, status 502 as the registry's answer was wrong).
 */
public final class DigestMismatchException extends RegistryRefusedException {

    private final String expected;
    private final String actual;

    public DigestMismatchException(String request, String expected, String actual) {
        super(
                request,
                502,
                "DIGEST_MISMATCH",
                "the artifact hashes to " + actual + ", not " + expected);
        this.expected = expected;
        this.actual = actual;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
