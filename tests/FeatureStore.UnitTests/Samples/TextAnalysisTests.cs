using FeatureStore.Samples.Churn;
using FeatureStore.Samples.Text;

namespace FeatureStore.UnitTests.Samples;

public sealed class TextAnalysisTests
{
    private static double Score(string text) => SentimentAnalyzer.Vader.Compound(text);

    [Fact]
    public void The_lexicon_travels_with_its_licence()
    {
        Assert.True(SentimentAnalyzer.Vader.LexiconSize > 7000);
        Assert.Contains("Apache License", SentimentAnalyzer.LexiconLicense);
        Assert.Contains("Comcast", SentimentAnalyzer.LexiconLicense);
    }

    [Fact]
    public void Praise_is_positive_complaints_negative_and_plain_statements_neutral()
    {
        Assert.True(Score("The app is easy to use and works great.") > 0.5);
        Assert.True(Score("Horrible support, they ignored my problem.") < -0.5);
        Assert.Equal(0, Score("The order came on Tuesday."));
        Assert.Equal(0, Score(""));
    }

    [Fact]
    public void Negation_intensifiers_capitals_but_and_exclamations_move_the_score()
    {
        var good = Score("The delivery was good.");
        Assert.True(Score("The delivery was not good.") < 0);
        Assert.True(Score("The delivery was very good.") > good);
        Assert.True(Score("The delivery was barely good.") < good);
        Assert.True(Score("The delivery was GOOD.") > good);
        Assert.True(Score("The delivery was good!!!") > good);
        // After "but" weighs more: praise then complaint ends negative, the reverse positive.
        Assert.True(Score("The price is great, but the app is terrible.") < 0);
        Assert.True(Score("The app is terrible, but the price is great.") > 0);
    }

    [Fact]
    public void Topics_are_distributions_and_repeatable()
    {
        var texts = Enumerable.Range(0, 60).Select(i => ReviewText.Write(new Random(i), 1 + i % 5, i % 2 == 0, i % 3 == 0)).ToList();
        var first = new TopicModel(4, seed: 5).FitAndScore(texts);
        var second = new TopicModel(4, seed: 5).FitAndScore(texts);
        Assert.Equal(60, first.Count);
        Assert.All(first, d => Assert.Equal(1, d.Sum(), 6));
        Assert.Equal(first.Select(d => string.Join(",", d)), second.Select(d => string.Join(",", d)));
        // Not one topic for everything.
        Assert.True(first.Select(d => Array.IndexOf(d, d.Max())).Distinct().Count() > 1);
    }

    [Fact]
    public void Low_ratings_read_negative_and_high_ratings_positive()
    {
        var random = new Random(2);
        Assert.All(Enumerable.Range(0, 50), _ => Assert.True(Score(ReviewText.Write(random, 5, false, false)) > 0.3));
        Assert.All(Enumerable.Range(0, 50), _ => Assert.True(Score(ReviewText.Write(random, 1, true, true)) < -0.3));
    }
}
