using FeatureStore.Contracts;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace FeatureStore.ModelApi.Training;

/// <summary>A trained candidate: the whole model (missing-value step included), its held-out metrics and feature importance.</summary>
public sealed record TrainedCandidate(string Algorithm, ITransformer Model, ModelMetricsDto Metrics,
    IReadOnlyList<FeatureImportanceDto> Importance);

/// <summary>
/// Trains the candidates on one split: a logistic-regression baseline (L-BFGS, features scaled to [0, 1]) and
/// gradient-boosted trees (FastTree). Both start with the same step — a missing value becomes the training
/// mean — which is saved inside the model, so serving fills gaps exactly as training did. Metrics are measured
/// on the held-out rows; importance is the AUC lost when a feature is shuffled there.
/// </summary>
public static class CandidateTrainer
{
    public const string LogisticRegression = "logistic_regression";
    public const string GradientBoostedTrees = "gradient_boosted_trees";

    /// <summary>Per class, a <paramref name="testFraction"/> share of the rows (at least one) is held out; the same seed splits the same
    /// way.</summary>
    public static (List<ChurnExample> Train, List<ChurnExample> Test) StratifiedSplit(IReadOnlyList<ChurnExample> rows,
        double testFraction, int seed)
    {
        var random = new Random(seed);
        var train = new List<ChurnExample>();
        var test = new List<ChurnExample>();
        foreach (var group in rows.GroupBy(r => r.Label).OrderBy(g => g.Key))
        {
            var shuffled = group.OrderBy(_ => random.Next()).ToList();
            var held = Math.Max(1, (int)Math.Round(shuffled.Count * testFraction));
            test.AddRange(shuffled.Take(held));
            train.AddRange(shuffled.Skip(held));
        }
        return (train, test);
    }

    public static IReadOnlyList<TrainedCandidate> TrainAll(MLContext ml, IReadOnlyList<string> features, IReadOnlyList<ChurnExample> train,
        IReadOnlyList<ChurnExample> test)
    {
        var schema = ChurnSchema.For(features.Count);
        var trainData = ml.Data.LoadFromEnumerable(train, schema);
        var testData = ml.Data.LoadFromEnumerable(test, schema);
        var imputed = ml.Transforms.ReplaceMissingValues(nameof(ChurnExample.Features),
            replacementMode: MissingValueReplacingEstimator.ReplacementMode.Mean);
        return
        [
            Train(ml, LogisticRegression, imputed.Append(ml.Transforms.NormalizeMinMax(nameof(ChurnExample.Features))),
                ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), trainData, testData, features),
            Train(ml, GradientBoostedTrees, imputed,
                ml.BinaryClassification.Trainers.FastTree(numberOfLeaves: 16, numberOfTrees: 150,
                    minimumExampleCountPerLeaf: 10, learningRate: 0.1),
                trainData, testData, features),
        ];
    }

    private static TrainedCandidate Train<TModel, TPrepared>(MLContext ml, string algorithm, IEstimator<TPrepared> preparation,
        IEstimator<BinaryPredictionTransformer<TModel>> trainer, IDataView train, IDataView test, IReadOnlyList<string> features)
        where TModel : class where TPrepared : class, ITransformer
    {
        var prepared = preparation.Fit(train);
        var predictor = trainer.Fit(prepared.Transform(train));
        var preparedTest = prepared.Transform(test);
        var scored = predictor.Transform(preparedTest);
        var metrics = ml.BinaryClassification.Evaluate(scored);
        var importance = ml.BinaryClassification.PermutationFeatureImportance(predictor, preparedTest, permutationCount: 3)
            .Select((statistics, i) => new FeatureImportanceDto(features[i], Math.Round(-statistics.AreaUnderRocCurve.Mean, 6)))
            .OrderByDescending(f => f.AucDrop).ToList();
        var model = new TransformerChain<ITransformer>(prepared, predictor);
        return new TrainedCandidate(algorithm, model,
            new ModelMetricsDto(algorithm, Round(metrics.AreaUnderRocCurve), Round(metrics.F1Score), Round(metrics.PositivePrecision),
                Round(metrics.PositiveRecall), Round(metrics.Accuracy), Confusion(ml, scored), Roc(ml, scored)),
            importance);
    }

    private static IReadOnlyList<RocPointDto> Roc(MLContext ml, IDataView scored) =>
        RocCurve.Of(ml.Data.CreateEnumerable<LabelledScore>(scored, reuseRowObject: false).Select(row => (row.Label,
            (double)row.Probability)));

    private static ConfusionMatrixDto Confusion(MLContext ml, IDataView scored)
    {
        long tp = 0, fp = 0, tn = 0, fn = 0;
        foreach (var row in ml.Data.CreateEnumerable<LabelledScore>(scored, reuseRowObject: true))
            _ = (row.Label, row.PredictedLabel) switch
            {
                (true, true) => tp++,
                (false, true) => fp++,
                (false, false) => tn++,
                (true, false) => fn++,
            };
        return new ConfusionMatrixDto(tp, fp, tn, fn);
    }

    private sealed class LabelledScore
    {
        public bool Label { get; set; }
        public bool PredictedLabel { get; set; }
        public float Probability { get; set; }
    }

    // NaN (one class missing from a tiny test set) is kept out of JSON as 0.
    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 6) : 0;
}
