package eagle.trainer;

import eagle.core.train.StepLosses;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /api/v1/status} shows.
 *
 * @param device the DJL device the trainer chose (gpu(0) when one is present, else cpu())
 * @param phase what the engine is doing
 * @param round the current round (or the last completed one while waiting)
 * @param parent the weights the current (or last) round started from; null before the first round
 * @param step steps done in the current round
 * @param totalSteps steps per round
 * @param lastLosses the latest step's losses; null before the first step
 * @param samplesPerSecond images per second over the current round's steps
 * @param newSamples valid new samples waiting for the next round
 * @param newClasses classes among them
 * @param minSamples round trigger: samples …
 * @param minClasses … and classes
 * @param skipped records, images and instances skipped since the state was created
 * @param skippedByReason the same per {@link SkipReason}
 * @param lastSkipReason why the latest one was skipped
 * @param bufferSize images in the replay buffer
 * @param bufferCapacity its capacity
 * @param bufferFill images per class in the buffer
 * @param completedRounds rounds closed (a candidate on disk, or abandoned after failing on its
 *     data)
 * @param pendingUploads candidates on disk not yet accepted by the registry
 * @param lastCandidateVersion registry version of the latest accepted candidate
 * @param lossCurve total loss per step of the current (or last) round
 * @param insCurve its instance-contrastive part per step (docs/METHOD.md §3)
 * @param ceCurve its classification (cross-entropy) part per step
 * @param error why the trainer failed (phase FAILED) or cannot reach Kafka (RECONNECTING)
 */
public record TrainerStatus(
        String device,
        TrainerPhase phase,
        int round,
        Parent parent,
        int step,
        int totalSteps,
        StepLosses lastLosses,
        double samplesPerSecond,
        int newSamples,
        int newClasses,
        int minSamples,
        int minClasses,
        long skipped,
        Map<String, Long> skippedByReason,
        String lastSkipReason,
        int bufferSize,
        int bufferCapacity,
        Map<String, Integer> bufferFill,
        int completedRounds,
        int pendingUploads,
        Integer lastCandidateVersion,
        List<Double> lossCurve,
        List<Double> insCurve,
        List<Double> ceCurve,
        String error) {}
