using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureStore.Samples.Text;

/// <summary>
/// Topic distributions of short texts by latent Dirichlet allocation (ML.NET's LightLDA): normalise, split
/// into words, drop English stop words, count words, fit the topics on the texts themselves. One thread and a
/// reset random generator make the same texts give the same topics. Each text gets a distribution over
/// <see cref="Topics"/> topics that sums to 1 (all zeros for a text with no words left).
/// </summary>
public sealed class TopicModel(int topics = 4, int seed = 1)
{
    public int Topics { get; } = topics;

    private sealed class Document
    {
        public string Text { get; set; } = "";
    }

    private sealed class Distribution
    {
        [VectorType]
        public float[] Topics { get; set; } = [];
    }

    public IReadOnlyList<double[]> FitAndScore(IReadOnlyList<string> texts)
    {
        if (texts.Count == 0) return [];
        NativeStdout.UseLineBuffering();
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(texts.Select(t => new Document { Text = t }));
        var pipeline = ml.Transforms.Text.NormalizeText("Normalized", nameof(Document.Text),
                keepDiacritics: false, keepPunctuations: false, keepNumbers: false)
            .Append(ml.Transforms.Text.TokenizeIntoWords("Words", "Normalized"))
            .Append(ml.Transforms.Text.RemoveDefaultStopWords("Words"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Words"))
            .Append(ml.Transforms.Text.ProduceNgrams("Counts", "Words", ngramLength: 1, useAllLengths: false))
            .Append(ml.Transforms.Text.LatentDirichletAllocation(nameof(Distribution.Topics), "Counts", numberOfTopics: Topics,
                numberOfThreads: 1, resetRandomGenerator: true));
        var scored = pipeline.Fit(data).Transform(data);
        return ml.Data.CreateEnumerable<Distribution>(scored, reuseRowObject: false).Select(d => Normalise(d.Topics)).ToList();
    }

    private double[] Normalise(float[] weights)
    {
        var result = new double[Topics];
        var total = weights.Sum(w => (double)Math.Max(0, w));
        if (total <= 0) return result;
        for (var i = 0; i < Topics && i < weights.Length; i++) result[i] = Math.Max(0, weights[i]) / total;
        return result;
    }
}
