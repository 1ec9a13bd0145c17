using FeatureStore.Samples.Text;

namespace FeatureStore.Samples.Churn;

/// <summary>
/// The upstream text step of the sample: each review's sentiment (the compound score) and topic distribution,
/// computed once over all reviews and kept as columns of the reviews source, which the <c>reviews</c> feature
/// view then aggregates like any other column.
/// </summary>
public static class ReviewScoring
{
    public static IReadOnlyList<ScoredReviewRow> Score(IReadOnlyList<ReviewRow> reviews, int seed)
    {
        var topics = new TopicModel(topics: 4, seed).FitAndScore(reviews.Select(r => r.text).ToList());
        return reviews.Select((r, i) => new ScoredReviewRow
        {
            review_id = r.review_id, customer_id = r.customer_id, event_timestamp = r.event_timestamp, rating = r.rating, text = r.text,
            sentiment = Math.Round(SentimentAnalyzer.Vader.Compound(r.text), 4),
            topic_0 = Math.Round(topics[i][0], 4), topic_1 = Math.Round(topics[i][1], 4),
            topic_2 = Math.Round(topics[i][2], 4), topic_3 = Math.Round(topics[i][3], 4),
        }).ToList();
    }
}
