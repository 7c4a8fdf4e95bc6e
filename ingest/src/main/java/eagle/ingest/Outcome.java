package eagle.ingest;

import eagle.contracts.DeadLetter;
import eagle.contracts.SampleEvent;
import java.util.List;

/** What one input record became; lives only inside the topology (never serialised). */
public sealed interface Outcome {

    /** Statistics changes this record causes (empty for a rejection). */
    List<ClassDelta> deltas();

    /** An annotation was accepted: the image's whole current sample. */
    record Accepted(SampleEvent sample, List<ClassDelta> deltas) implements Outcome {}

    /** The image was retracted (tombstone): a tombstone goes to the samples topic. */
    record Retracted(List<ClassDelta> deltas) implements Outcome {}

    /** The record was rejected. */
    record Rejected(DeadLetter letter) implements Outcome {
        @Override
        public List<ClassDelta> deltas() {
            return List.of();
        }
    }
}
