package dev.tanrenai.experiment;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One A/B experiment: the champion and challenger model ids, the challenger's share of users, when it
 * started (time and the store's sequence number then), its rules, and how it ended.
 *
 * @param endedAt null while running
 * @param reason why it ended (null while running)
 */
public record Experiment(
        String id,
        String championId,
        String challengerId,
        double share,
        Instant startedAt,
        long startSeq,
        String startedBy,
        ExperimentConfig config,
        Status status,
        Instant endedAt,
        String reason) {

    /** Where an experiment is. */
    public enum Status {
        RUNNING,
        PROMOTED,
        ROLLED_BACK,
        NO_DIFFERENCE,
        /** A newer experiment (a new challenger) replaced it before it decided. */
        SUPERSEDED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Status fromWireName(String name) {
            for (Status s : values()) {
                if (s.wireName().equals(name)) {
                    return s;
                }
            }
            throw new ExperimentException("unknown experiment status '" + name + "' in the store");
        }

        /** The status a deciding verdict ends an experiment in. */
        public static Status endedBy(Decision d) {
            return switch (d) {
                case PROMOTE -> PROMOTED;
                case ROLLBACK -> ROLLED_BACK;
                case NO_DIFFERENCE -> NO_DIFFERENCE;
                case CONTINUE -> throw new IllegalArgumentException("continue does not end an experiment");
            };
        }
    }

    public Experiment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(championId, "championId");
        Objects.requireNonNull(challengerId, "challengerId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(status, "status");
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("experiment " + id + ": share must be in (0, 1), got " + share);
        }
        if (championId.equals(challengerId)) {
            throw new IllegalArgumentException("experiment " + id + ": champion and challenger are both " + championId);
        }
        if ((status == Status.RUNNING) != (endedAt == null)) {
            throw new IllegalArgumentException("experiment " + id + ": endedAt must be set exactly when it ended");
        }
    }

    public boolean running() {
        return status == Status.RUNNING;
    }

    /** The model id of {@code arm}. */
    public String modelOf(ExperimentArm arm) {
        return switch (arm) {
            case CHAMPION -> championId;
            case CHALLENGER -> challengerId;
        };
    }
}
