package eagle.registry.service;

/**
 * A refused request, as a value with a reason: the HTTP status it maps to, a stable
 * machine-readable code and a sentence for a person. Thrown out of a transaction, it rolls the
 * transaction back.
 */
public class RegistryException extends RuntimeException {

    private final int status;
    private final String code;

    public RegistryException(int status, String code, String reason) {
        super(reason);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String reason() {
        return getMessage();
    }

    public static RegistryException badRequest(String code, String reason) {
        return new RegistryException(400, code, reason);
    }

    public static RegistryException notFound(String code, String reason) {
        return new RegistryException(404, code, reason);
    }

    public static RegistryException conflict(String code, String reason) {
        return new RegistryException(409, code, reason);
    }

    public static RegistryException unprocessable(String code, String reason) {
        return new RegistryException(422, code, reason);
    }

    public static RegistryException tooLarge(String code, String reason) {
        return new RegistryException(413, code, reason);
    }
}
