package eagle.evaluator.registry;

/** A refusal or failure of the registry's HTTP API: the status, the registry's code and its reason. */
public final class RegistryException extends RuntimeException {

    private final int status;
    private final String code;

    public RegistryException(int status, String code, String reason) {
        super(status + " " + code + ": " + reason);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
