package eagle.client;

/**
 * The registry refused a request (4xx): {@code status}, the stable {@code code} of its {@code
 * ApiError} body (or {@code HTTP_<status>} when the body is not one) and its {@code reason} in
 * words.
 */
public sealed class RegistryRefusedException extends RegistryException
        permits DigestMismatchException {

    private final int status;
    private final String code;
    private final String reason;

    public RegistryRefusedException(String request, int status, String code, String reason) {
        super(request + " → " + status + " " + code + ": " + reason, null);
        this.status = status;
        this.code = code;
        this.reason = reason;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public boolean notFound() {
        return status == 404;
    }
}
