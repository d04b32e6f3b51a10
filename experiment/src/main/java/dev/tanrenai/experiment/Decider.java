package dev.tanrenai.experiment;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The decision rule. In order: a tripped guardrail rolls back; with at least {@code minUsersPerArm}
 * rated users per arm, the mixture SPRT crossing its boundary promotes (challenger better) or rolls
 * back (challenger worse); past {@code maxDuration} the experiment ends as "no difference"; otherwise
 * it keeps collecting.
 */
public final class Decider {
    private Decider() {}

    public static Verdict decide(
            ExperimentConfig config, ArmSummary champion, ArmSummary challenger, Duration elapsed) {
        double days = elapsed.toMillis() / 86_400_000.0;
        Msprt.Result test = champion.ratedUsers() >= 2 && challenger.ratedUsers() >= 2
                ? Msprt.test(champion.primary(), challenger.primary(), config.tau(), config.alpha())
                : null;
        List<String> trips = Guardrails.tripped(config, champion, challenger);
        if (!trips.isEmpty()) {
            return new Verdict(
                    Decision.ROLLBACK,
                    "guardrail: challenger " + String.join("; ", trips),
                    champion,
                    challenger,
                    test,
                    trips,
                    days);
        }
        boolean enough =
                champion.ratedUsers() >= config.minUsersPerArm() && challenger.ratedUsers() >= config.minUsersPerArm();
        if (enough && test != null && test.crossed()) {
            boolean better = test.effect() > 0;
            return new Verdict(
                    better ? Decision.PROMOTE : Decision.ROLLBACK,
                    "challenger rating rate " + (better ? "better" : "worse") + ": "
                            + numbers(champion, challenger, test),
                    champion,
                    challenger,
                    test,
                    trips,
                    days);
        }
        if (elapsed.compareTo(config.maxDuration()) >= 0) {
            return new Verdict(
                    Decision.NO_DIFFERENCE,
                    "no difference after " + config.maxDuration().toDays() + " days (maxDuration)"
                            + (test == null ? "" : ": " + numbers(champion, challenger, test)),
                    champion,
                    challenger,
                    test,
                    trips,
                    days);
        }
        // plain concatenation: a simulation looks at the decision after every user, String.format would dominate
        String why = !enough
                ? "collecting: " + champion.ratedUsers() + " and " + challenger.ratedUsers() + " rated users of "
                        + config.minUsersPerArm() + " needed per arm"
                : "no decision yet: log LR " + round2(test.logLambda()) + " of boundary " + round2(test.logThreshold())
                        + ", effect " + round2(test.effect());
        return new Verdict(Decision.CONTINUE, why, champion, challenger, test, trips, days);
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** The primary metric's numbers, as alias history and events record them. */
    public static String numbers(ArmSummary champion, ArmSummary challenger, Msprt.Result test) {
        return String.format(
                Locale.ROOT,
                "rating rate %.3f (%d users) vs champion %.3f (%d users), effect %+.3f,"
                        + " always-valid CI [%+.3f, %+.3f], log LR %.2f of boundary %.2f",
                challenger.primary().mean(),
                challenger.ratedUsers(),
                champion.primary().mean(),
                champion.ratedUsers(),
                test.effect(),
                test.lower(),
                test.upper(),
                test.logLambda(),
                test.logThreshold());
    }
}
