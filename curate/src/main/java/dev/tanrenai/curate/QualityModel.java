package dev.tanrenai.curate;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.provenance.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.Tribuo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The learned "good training example" score: a Tribuo logistic regression over the
 * {@link QualityScorer} features, trained from users' feedback ({@link FeedbackLabels}) once there
 * are enough labels of both kinds; until then curate uses the heuristic. The {@code feedback}
 * feature is left out of training (it is where the labels come from); explicit feedback on a
 * conversation still moves its score, by the heuristic's weight on the logit.
 */
public final class QualityModel implements ConversationScorer {
    private static final long serialVersionUID = 1L;

    static final String GOOD = "good";
    static final String BAD = "bad";
    static final double FEEDBACK_WEIGHT = 2.5;

    /**
     * @param minLabels labels needed in all before a model is trained
     * @param minPerClass labels needed of each kind
     */
    public record TrainingSettings(int minLabels, int minPerClass, long seed, int epochs) {
        public TrainingSettings {
            if (minPerClass < 1 || minLabels < 2 * minPerClass) {
                throw new IllegalArgumentException(
                        "need minPerClass >= 1 and minLabels >= 2 * minPerClass, got " + minLabels + "/" + minPerClass);
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
        }

        /** 40 labels, 10 of each kind, seed 1, 20 epochs. */
        public static TrainingSettings defaults() {
            return new TrainingSettings(40, 10, 1, 20);
        }
    }

    /** A trained model, or why there is none. */
    public record Outcome(Optional<QualityModel> model, String reason) {}

    private final LinearSGDModel model;
    private final Map<String, Object> provenance;
    private final QualityScorer features;

    private QualityModel(LinearSGDModel model, Map<String, Object> provenance, QualityScorer features) {
        this.model = model;
        this.provenance = provenance;
        this.features = features;
    }

    /**
     * This model with store feedback as the {@code feedback} feature at scoring time; training never
     * sees it (labels come from the same feedback).
     */
    @Override
    public QualityModel withFeedback(Map<String, Double> meanFeedbackById) {
        return new QualityModel(model, provenance, new QualityScorer(meanFeedbackById));
    }

    public static Outcome train(List<FeedbackLabels.Labeled> labels, TrainingSettings settings) {
        long good = labels.stream().filter(FeedbackLabels.Labeled::good).count();
        long bad = labels.size() - good;
        if (labels.size() < settings.minLabels() || good < settings.minPerClass() || bad < settings.minPerClass()) {
            return new Outcome(
                    Optional.empty(),
                    "too few feedback labels (" + good + " good, " + bad + " bad; need " + settings.minLabels()
                            + " with " + settings.minPerClass() + " of each): heuristic scorer");
        }
        List<FeedbackLabels.Labeled> sorted = new ArrayList<>(labels);
        sorted.sort(Comparator.comparing(l -> l.conversation().id()));
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data =
                new MutableDataset<>(new SimpleDataSourceProvenance("tanrenai feedback labels", factory), factory);
        QualityScorer scorer = new QualityScorer();
        StringBuilder digest = new StringBuilder();
        for (FeedbackLabels.Labeled l : sorted) {
            Map<String, Double> features = scorer.features(l.conversation(), 1);
            features.remove("feedback");
            data.add(example(features, new Label(l.good() ? GOOD : BAD)));
            digest.append(l.conversation().id()).append('\t').append(l.good()).append('\n');
        }
        LinearSGDTrainer trainer = new LinearSGDTrainer(
                new LogMulticlass(), new AdaGrad(0.5, 0.1), settings.epochs(), Integer.MAX_VALUE, 1, settings.seed());
        LinearSGDModel trained = trainer.train(data);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("trainer", "tribuo LinearSGDTrainer(LogMulticlass, AdaGrad(0.5))");
        provenance.put("tribuoVersion", Tribuo.VERSION);
        provenance.put("labelsGood", good);
        provenance.put("labelsBad", bad);
        provenance.put("seed", settings.seed());
        provenance.put("epochs", settings.epochs());
        provenance.put("labelsSha256", Sha256.ofBytes(digest.toString().getBytes(StandardCharsets.UTF_8)));
        return new Outcome(
                Optional.of(new QualityModel(trained, provenance, new QualityScorer())),
                "trained on " + labels.size() + " feedback labels (" + good + " good, " + bad + " bad)");
    }

    /** Features without {@code feedback} as a Tribuo example. */
    private static Example<Label> example(Map<String, Double> features, Label label) {
        return new ArrayExample<>(
                label,
                features.keySet().toArray(String[]::new),
                features.values().stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Override
    public QualityScorer.Score score(Conversation c, long clusterSize) {
        Map<String, Double> f = features.features(c, clusterSize);
        double feedback = f.remove("feedback");
        double p = model.predict(example(f, new Label(GOOD)))
                .getOutputScores()
                .get(GOOD)
                .getScore();
        p = Math.min(1 - 1e-9, Math.max(1e-9, p));
        double logit = Math.log(p / (1 - p)) + FEEDBACK_WEIGHT * feedback;

        DenseMatrix w = model.getWeightsCopy(); // [labels, features + bias]
        int goodRow = model.getOutputIDInfo().getID(new Label(GOOD));
        int badRow = model.getOutputIDInfo().getID(new Label(BAD));
        List<Map.Entry<String, Double>> contributions = new ArrayList<>();
        for (Map.Entry<String, Double> e : f.entrySet()) {
            int id = model.getFeatureIDMap().getID(e.getKey());
            if (id >= 0) {
                contributions.add(Map.entry(e.getKey(), (w.get(goodRow, id) - w.get(badRow, id)) * e.getValue()));
            }
        }
        if (feedback != 0) {
            contributions.add(Map.entry("feedback", FEEDBACK_WEIGHT * feedback));
        }
        return new QualityScorer.Score(1 / (1 + Math.exp(-logit)), QualityScorer.top(contributions));
    }

    /** The names of the features the model was trained on (never {@code feedback}, the label's source). */
    java.util.Set<String> trainedFeatures() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        model.getFeatureIDMap().forEach(f -> names.add(f.getName()));
        return names;
    }

    /** How the model was made: trainer, Tribuo version, labels and their hash, seed, epochs. */
    public Map<String, Object> provenance() {
        return provenance;
    }

    @Override
    public String describe() {
        return "tribuo-logistic";
    }
}
