package eagle.gateway;

import eagle.client.RegistryException;
import eagle.client.RegistryRefusedException;

/**
 * A refusal with a reason, mapped to an {@link ApiError} body with {@link #status()}: unknown model
 * (404), version not blessed (409), registry unreachable (502/503), artifact that fails
 * verification (502), bad image (400/415).
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

    /**
     * A failed registry call as the gateway answers it: {@code REGISTRY_UNAVAILABLE} (503) when the
     * registry cannot be reached; otherwise the registry's code, with its 404/409 passed on and any
     * other refusal a 502 (a 401/403 of the registry is the gateway's own misconfiguration).
     */
    public static GatewayException of(RegistryException e) {
        if (e instanceof RegistryRefusedException r) {
            int mapped = r.status() == 404 || r.status() == 409 ? r.status() : 502;
            return new GatewayException(
                    mapped, r.code(), "registry answered " + r.status() + ": " + r.reason(), e);
        }
        return new GatewayException(503, "REGISTRY_UNAVAILABLE", e.getMessage(), e);
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
