package eagle.gateway;

/**
 * A refusal with a reason, mapped to an {@link ApiError} body with {@link #status()}: unknown model (404),
 * version not blessed (409), registry unreachable (502/503), artifact that fails verification (502), bad
 * image (400/415).
 */
public final class GatewayException extends RuntimeException {

    private final int status;
    private final String code;

    public GatewayException(int status, String code, String reason) {
        super(reason);
        this.status = status;
        this.code = code;
    }

    public GatewayException(int status, String code, String reason, Throwable cause) {
        super(reason, cause);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public ApiError toApiError() {
        return new ApiError(status, code, getMessage());
    }
}
