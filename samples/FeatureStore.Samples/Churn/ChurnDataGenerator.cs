namespace FeatureStore.Samples.Churn;

/// <summary>How much churn data to make, from which seed, ending when.</summary>
/// <param name="Customers">Customers to generate (the size flag): about 160 activity rows each at the defaults.</param>
/// <param name="End">The newest instant of the data (truncated to the second); labels and events lie before it.</param>
/// <param name="HistoryDays">Days of behaviour before <paramref name="End"/>.</param>
/// <param name="Shift">A change of behaviour from a day on (drift to detect); none by default.</param>
public sealed record ChurnDataOptions(int Customers, int Seed, DateTime End, int HistoryDays = 120, BehaviourShift? Shift = null);

/// <summary>From the day of <paramref name="After"/> on, every customer is less engaged (activity at <paramref name="Engagement"/>
/// times its pace) and complains more (tickets at <paramref name="Complaints"/> times their rate): the drift and the model decay
/// monitoring should see. Days before it are exactly as without a shift.</summary>
public sealed record BehaviourShift(DateTime After, double Engagement = 0.6, double Complaints = 2.0);

public sealed record ChurnData(
    IReadOnlyList<CustomerRow> Customers,
    IReadOnlyList<ActivityRow> Activity,
    IReadOnlyList<TicketRow> Tickets,
    IReadOnlyList<ReviewRow> Reviews,
    IReadOnlyList<ChurnLabelRow> Labels);

/// <summary>
/// Generates the churn sample's raw tables. Each customer has two hidden traits — engagement and
/// dissatisfaction — that drive both what they do (activity, tickets, reviews) and whether they churn, and most
/// churners' behaviour fades in the 30 days before their label time: so the features computed from the
/// behaviour can predict the label, as in real data, without the label ever being an input (and not perfectly:
/// a quarter of churners leave without fading). Every customer
/// draws from its own random stream (seed, customer id): the same options give the same rows, and a larger
/// size keeps the smaller one's customers unchanged.
/// </summary>
public static class ChurnDataGenerator
{
    public const int FadeDays = 30;

    private static readonly string[] Genders = ["female", "male", "other"];
    private static readonly string[] Locations = ["berlin", "london", "madrid", "paris", "rome", "vienna", "warsaw", "zurich"];
    private static readonly string[] Devices = ["mobile", "desktop", "tablet"];
    private static readonly string[] Educations = ["high_school", "bachelor", "master", "phd"];
    private static readonly string[] Contracts = ["monthly", "yearly", "two_year"];
    private static readonly string[] Payments = ["card", "paypal", "bank_transfer", "invoice"];
    private static readonly string[] Loyalties = ["bronze", "silver", "gold", "platinum"];
    private static readonly string[] TicketCategories = ["billing", "technical", "delivery", "account"];

    public static ChurnData Generate(ChurnDataOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Customers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HistoryDays, 1);
        var end = new DateTime(options.End.Ticks - options.End.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        var data = new ChurnData(new List<CustomerRow>(), new List<ActivityRow>(), new List<TicketRow>(),
            new List<ReviewRow>(), new List<ChurnLabelRow>());
        for (long id = 1; id <= options.Customers; id++)
            GenerateCustomer(id, new Random(StreamSeed(options.Seed, id)), end, options.HistoryDays, options.Shift, data);
        return data;
    }

    private static void GenerateCustomer(long id, Random random, DateTime end, int historyDays, BehaviourShift? shift, ChurnData data)
    {
        var signup = end - TimeSpan.FromDays(30 + random.NextDouble() * 870);
        var engagement = Math.Exp(Normal(random) * 0.5);
        var dissatisfaction = random.NextDouble();
        var contract = Pick(random, Contracts, 0.5, 0.3);
        var premium = random.NextDouble() < 0.25;
        var tenureYears = (end - signup).TotalDays / 365;
        var loyalty = (int)Math.Clamp(Math.Floor(tenureYears * 1.2 + random.NextDouble()), 0, 3);
        var charges = Math.Round(20 + random.NextDouble() * 80, 2);
        var customer = new CustomerRow
        {
            customer_id = id, signup_date = signup, age = 18 + random.Next(63), gender = Pick(random, Genders, 0.48, 0.48),
            location = Locations[random.Next(Locations.Length)], device = Pick(random, Devices, 0.55, 0.35),
            education = Educations[random.Next(Educations.Length)], contract = contract,
            payment_method = Payments[random.Next(Payments.Length)],
            monthly_charges = charges, premium = premium, loyalty_status = Loyalties[loyalty],
        };
        ((List<CustomerRow>)data.Customers).Add(customer);

        // Churn propensity: the hidden traits, then what the customer record itself says.
        var propensity = -1.1 + 3.0 * (dissatisfaction - 0.5) - 1.2 * Math.Log(engagement)
                         + contract switch { "monthly" => 0.9, "yearly" => 0.0, _ => -0.9 }
                         + 0.015 * (charges - 60) - (premium ? 0.4 : 0) - 0.2 * loyalty;
        var churned = random.NextDouble() < 1 / (1 + Math.Exp(-propensity));
        var labelTime = end - TimeSpan.FromSeconds(random.Next(0, 40 * 86400));
        // Most churners drift away first; some leave without warning, which no feature can foresee.
        var fades = churned && random.NextDouble() < 0.75;
        ((List<ChurnLabelRow>)data.Labels).Add(new ChurnLabelRow { customer_id = id, label_timestamp = labelTime, churned = churned });

        var start = Max(signup, end - TimeSpan.FromDays(historyDays));
        for (var day = start.Date; day < end; day = day.AddDays(1))
        {
            // A churner (most of them) fades in the weeks before the label, and every churner has all but gone after it.
            var fading = fades && day >= labelTime.Date.AddDays(-FadeDays);
            var gone = churned && day > labelTime.Date;
            var shifted = shift is not null && day >= shift.After.Date;
            var pace = (gone ? 0.05 : fading ? 0.5 : 1.0) * (shifted ? shift!.Engagement : 1);
            var complaints = shifted ? shift!.Complaints : 1;
            var unhappy = Math.Min(1, dissatisfaction + (fading ? 0.25 : 0));
            foreach (var at in Arrivals(random, day, start, end, 1.2 * engagement * pace))
                AddActivity(random, id, at, engagement * (fading ? 0.6 : 1), unhappy, data);
            foreach (var at in Arrivals(random, day, start, end, complaints * (0.008 + 0.03 * unhappy + (fading && !gone ? 0.05 : 0))))
                ((List<TicketRow>)data.Tickets).Add(new TicketRow
                {
                    ticket_id = id * 100_000 + data.Tickets.Count, customer_id = id, event_timestamp = at,
                    category = TicketCategories[random.Next(TicketCategories.Length)],
                    priority = random.NextDouble() < 0.15 + 0.35 * unhappy ? "high" : "normal",
                });
            foreach (var at in Arrivals(random, day, start, end, gone ? 0.002 : fading ? 0.04 : 0.015))
            {
                var rating = (int)Math.Clamp(Math.Round(5 - 4 * unhappy + Normal(random) * 0.8), 1, 5);
                ((List<ReviewRow>)data.Reviews).Add(new ReviewRow
                {
                    review_id = id * 100_000 + data.Reviews.Count, customer_id = id, event_timestamp = at, rating = rating,
                    text = ReviewText.Write(random, rating, charges > 70, unhappy > 0.6),
                });
            }
        }
    }

    private static void AddActivity(Random random, long id, DateTime at, double engagement, double unhappy, ChurnData data)
    {
        var roll = random.NextDouble();
        var purchaseShare = 0.10 * (1.2 - unhappy);
        var type = roll < 0.15 ? "add_to_cart" : roll < 0.15 + purchaseShare ? "purchase"
            : roll < 0.35 + purchaseShare ? "session" : "page_view";
        ((List<ActivityRow>)data.Activity).Add(new ActivityRow
        {
            customer_id = id, event_timestamp = at, ingested_at = at + TimeSpan.FromSeconds(1 + random.Next(900)), event_type = type,
            session_seconds = type == "session" ? Math.Round(-Math.Log(1 - random.NextDouble()) * 240 * engagement, 1) : null,
            amount = type == "purchase" ? Math.Round(5 + random.NextDouble() * 120, 2) : null,
        });
    }

    /// <summary>The instants of a Poisson process with <paramref name="perDay"/> arrivals a day, within one day and [start, end).</summary>
    private static IEnumerable<DateTime> Arrivals(Random random, DateTime day, DateTime start, DateTime end, double perDay)
    {
        var count = 0;
        for (var p = random.NextDouble(); p > Math.Exp(-perDay); p *= random.NextDouble()) count++;
        var times = new List<DateTime>(count);
        for (var i = 0; i < count; i++)
        {
            var at = day.AddSeconds(random.Next(86400));
            if (at >= start && at < end) times.Add(at);
        }
        times.Sort();
        return times;
    }

    private static string Pick(Random random, string[] values, double first, double second)
    {
        var roll = random.NextDouble();
        return roll < first ? values[0] : roll < first + second ? values[1] : values[2];
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    /// <summary>A per-customer seed from the run's seed and the customer id (SplitMix64's mixer: stable across processes, unlike
    /// HashCode).</summary>
    private static int StreamSeed(int seed, long id)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)id);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(z ^ (z >> 31));
    }
}
