package eagle.evaluator.gate;

import java.util.List;

/**
 * The verdict of one slice: passed iff it has at least one check and every check passed.
 *
 * @param slice slice name ({@code pope/adversarial})
 * @param passed verdict
 * @param reason the first failing check's reason, null when passed
 * @param checks the slice's checks, in configuration order
 */
public record SliceVerdict(String slice, boolean passed, String reason, List<Check> checks) {

    public SliceVerdict {
        checks = List.copyOf(checks);
    }
}
