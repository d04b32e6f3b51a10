package dev.tanrenai.pipelines.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the Beam stages run: {@code --runner direct|flink|spark}, the Flink master ({@code [local]}
 * embedded, or {@code host:port} of a cluster's JobManager), the Spark master ({@code local[N]} or
 * a cluster URL), the parallelism, and any other Beam option passed through with {@code --beam}. On
 * a cluster the home (its datasets) must be on a shared file system mounted at the same path on
 * every worker: the workers read and write the snapshots there.
 */
public final class RunnerOptions {

    /** The runners the CLI carries. */
    public enum Runner {
        DIRECT,
        FLINK,
        SPARK
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--runner",
            paramLabel = "R",
            description = "Beam runner: direct, flink or spark (default: ${DEFAULT-VALUE}).")
    String runner = "direct";

    @Option(
            names = "--flink-master",
            paramLabel = "HOST:PORT",
            description = "Flink JobManager for --runner flink (default: [local], an embedded Flink).")
    String flinkMaster;

    @Option(
            names = "--spark-master",
            paramLabel = "URL",
            description = "Spark master for --runner spark, e.g. spark://host:7077 (default: local[N], N = cores).")
    String sparkMaster;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            description = "Parallelism of the runner (default: the runner's own).")
    Integer parallelism;

    @Option(
            names = "--beam",
            paramLabel = "OPTION",
            description =
                    "Any other Beam pipeline option, passed through, e.g. --beam=--maxBundleSize=1000 (repeatable).")
    List<String> beamArgs = List.of();

    /** The chosen runner. */
    public Runner runner() {
        try {
            return Runner.valueOf(runner.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage("--runner is '" + runner + "'; expected direct, flink or spark");
        }
    }

    /** The Beam pipeline options these settings stand for, the pass-through ones last. */
    public List<String> args() {
        Runner r = runner();
        List<String> out = new ArrayList<>();
        if (flinkMaster != null && r != Runner.FLINK) {
            throw usage("--flink-master needs --runner flink");
        }
        if (sparkMaster != null && r != Runner.SPARK) {
            throw usage("--spark-master needs --runner spark");
        }
        if (parallelism != null && parallelism < 1) {
            throw usage("--parallelism must be >= 1, got " + parallelism);
        }
        switch (r) {
            case DIRECT -> {
                out.add("--runner=DirectRunner");
                if (parallelism != null) {
                    out.add("--targetParallelism=" + parallelism);
                }
            }
            case FLINK -> {
                out.add("--runner=FlinkRunner");
                out.add("--flinkMaster=" + (flinkMaster == null ? "[local]" : flinkMaster));
                if (parallelism != null) {
                    out.add("--parallelism=" + parallelism);
                }
            }
            case SPARK -> {
                if (!onClassPath("org.apache.beam.runners.spark.SparkRunner")) {
                    throw usage("--runner spark: the Spark runner (beam-runners-spark-3) is not on the class path;"
                            + " run the CLI with its runtime class path (./pipeline, pipelines/target/lib)");
                }
                out.add("--runner=SparkRunner");
                int n = parallelism == null ? Runtime.getRuntime().availableProcessors() : parallelism;
                out.add("--sparkMaster=" + (sparkMaster == null ? "local[" + n + "]" : sparkMaster));
            }
        }
        if (beamArgs.stream().anyMatch(a -> a.startsWith("--runner="))) {
            throw usage("choose the runner with --runner direct|flink|spark, not --beam=--runner=...");
        }
        out.addAll(beamArgs);
        return out;
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, RunnerOptions.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
