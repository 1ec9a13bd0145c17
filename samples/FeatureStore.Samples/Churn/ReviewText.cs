namespace FeatureStore.Samples.Churn;

/// <summary>
/// English review text for a rating: sentences about one or two topics (price, delivery, quality, support,
/// the app), praising or complaining as the rating says, with the emphasis, negation and "but" turns real
/// reviews have. Unhappy customers complain about support, pricey plans about price, so the topics carry
/// signal of their own.
/// </summary>
public static class ReviewText
{
    private static readonly string[] Topics = ["price", "delivery", "quality", "support", "app"];

    private static readonly Dictionary<string, string[]> Praise = new()
    {
        ["price"] = ["Great value for the price.", "The prices are fair and the deals are excellent.", "Cheap and worth every cent."],
        ["delivery"] = ["Delivery was fast and the packaging was perfect.", "My parcel arrived early, very happy.",
            "Quick shipping as always."],
        ["quality"] = ["The products are excellent quality and I love them.", "Beautiful items, they feel solid and well made.",
            "Best quality I have found."],
        ["support"] = ["Customer support was helpful and friendly.", "The support team solved my problem quickly, thanks!",
            "Support was kind and patient."],
        ["app"] = ["The app is easy to use and works great.", "I enjoy shopping in the app, it is smooth.", "Nice clean app, love it."],
    };

    private static readonly Dictionary<string, string[]> Complaints = new()
    {
        ["price"] = ["Way too expensive, a bad deal.", "The prices keep going up, terrible value.", "Overpriced and not worth the money."],
        ["delivery"] = ["My order arrived late and the box was damaged.", "Delivery was slow and the parcel got lost.",
            "Shipping is awful, always delayed."],
        ["quality"] = ["The product broke after a week, very disappointing.", "Poor quality, cheap materials, bad experience.",
            "Items look nothing like the photos, awful."],
        ["support"] = ["Support was useless and rude, I waited for hours.", "Nobody from support answered my complaint.",
            "Horrible support, they ignored my problem."],
        ["app"] = ["The app keeps crashing and it is frustrating.", "The app is slow and confusing.",
            "Checkout in the app fails all the time, annoying."],
    };

    private static readonly string[] Neutral =
        ["I ordered a few things this month.", "The order came on Tuesday.", "I use the shop for household items.", "Bought a new lamp."];

    public static string Write(Random random, int rating, bool pricey, bool unhappy)
    {
        var topic = rating <= 2 && pricey && random.NextDouble() < 0.5 ? "price"
            : rating <= 2 && unhappy && random.NextDouble() < 0.5 ? "support"
            : Topics[random.Next(Topics.Length)];
        var other = Topics[random.Next(Topics.Length)];
        string[] sentences = rating switch
        {
            >= 5 => [One(random, Praise[topic]), One(random, Praise[other]),
                random.NextDouble() < 0.3 ? "HIGHLY recommended!" : "Will buy again."],
            4 => [One(random, Praise[topic]), random.NextDouble() < 0.5 ? One(random, Neutral) : "Pretty good overall."],
            3 => [One(random, Neutral), $"The {topic} is okay, but {Lower(One(random, Complaints[other]))}"],
            2 => [One(random, Complaints[topic]), random.NextDouble() < 0.5 ? "Not happy." : One(random, Neutral)],
            _ => [One(random, Complaints[topic]), One(random, Complaints[other]),
                random.NextDouble() < 0.3 ? "NEVER again!!" : "I am cancelling."],
        };
        return string.Join(' ', sentences.Distinct());
    }

    private static string One(Random random, string[] choices) => choices[random.Next(choices.Length)];

    private static string Lower(string sentence) => char.ToLowerInvariant(sentence[0]) + sentence[1..];
}
