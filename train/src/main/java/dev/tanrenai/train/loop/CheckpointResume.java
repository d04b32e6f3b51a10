package dev.tanrenai.train.loop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Picks the checkpoint a resume continues from: the newest one that verifies (checksum, finite
 * values, fits the adapter). Each newer one that does not is reported — to the listener and in the
 * result — and skipped; when checkpoints exist but none is usable, that is an error naming each and
 * what is wrong. A verified checkpoint of another run (fingerprint) is refused outright: the run
 * directory is the wrong one, and an older checkpoint there would be no better.
 */
final class CheckpointResume {

    /**
     * @param from the checkpoint restored; empty when the run directory has none (start from step 0)
     * @param rejected newer checkpoints that were skipped, newest first
     */
    record Outcome(Optional<Checkpoint> from, List<CheckpointRejection> rejected) {
        Outcome {
            rejected = List.copyOf(rejected);
        }
    }

    private CheckpointResume() {}

    static Outcome restore(Path runDir, String fingerprint, AdapterTrainer trainer, TrainListener listener)
            throws IOException {
        List<Path> files = Checkpoint.files(runDir);
        List<CheckpointRejection> rejected = new ArrayList<>();
        for (int i = files.size() - 1; i >= 0; i--) {
            Path file = files.get(i);
            CheckpointState state;
            try {
                state = CheckpointState.load(file);
            } catch (CheckpointException e) {
                reject(file, e, rejected, listener);
                continue;
            }
            Checkpoint c = state.header();
            if (!c.fingerprint().equals(fingerprint)) {
                throw new CheckpointException(
                        c.file(),
                        "written by a run with other settings, base model or data (fingerprint " + c.fingerprint()
                                + ", this run " + fingerprint + ")");
            }
            try {
                state.restoreInto(trainer);
            } catch (CheckpointException e) {
                reject(file, e, rejected, listener);
                continue;
            }
            return new Outcome(Optional.of(c), rejected);
        }
        if (!rejected.isEmpty()) {
            throw new CheckpointException(
                    runDir.resolve(Checkpoint.DIRECTORY),
                    "no usable checkpoint to resume from; start the run over (without resume). "
                            + rejected.stream()
                                    .map(CheckpointRejection::toString)
                                    .collect(Collectors.joining("; ")));
        }
        return new Outcome(Optional.empty(), rejected);
    }

    private static void reject(
            Path file, CheckpointException e, List<CheckpointRejection> rejected, TrainListener listener) {
        CheckpointRejection r = new CheckpointRejection(file.toString(), e.reason());
        rejected.add(r);
        listener.onCheckpointRejected(r);
    }
}
