package eagle.ingest.validate;

import eagle.contracts.DeadLetter.Reason;

/**
 * Why an annotation was refused. Thrown inside validation and turned into a {@link
 * eagle.contracts.DeadLetter} value at the topology's edge, never swallowed.
 */
public final class Rejection extends Exception {

    private final Reason reason;

    public Rejection(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Rejection(Reason reason, String message, Throwable cause) {
        super(
                message + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
                cause,
                false,
                false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
