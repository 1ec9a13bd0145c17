namespace FeatureStore.Samples.Churn;

// The raw tables of the churn sample, as Parquet columns (snake_case, as a data team would name them).
#pragma warning disable IDE1006 // column names, not C# names

public sealed class CustomerRow
{
    public long customer_id { get; set; }
    public DateTime signup_date { get; set; }
    public int age { get; set; }
    public string gender { get; set; } = "";
    public string location { get; set; } = "";
    public string device { get; set; } = "";
    public string education { get; set; } = "";
    public string contract { get; set; } = "";
    public string payment_method { get; set; } = "";
    public double monthly_charges { get; set; }
    public bool premium { get; set; }
    public string loyalty_status { get; set; } = "";
}

/// <summary>One thing a customer did: a page view, an add-to-cart, a purchase (with its amount) or a session (with its length).</summary>
public sealed class ActivityRow
{
    public long customer_id { get; set; }
    public DateTime event_timestamp { get; set; }
    public DateTime ingested_at { get; set; }
    public string event_type { get; set; } = "";
    public double? session_seconds { get; set; }
    public double? amount { get; set; }
}

public sealed class TicketRow
{
    public long ticket_id { get; set; }
    public long customer_id { get; set; }
    public DateTime event_timestamp { get; set; }
    public string category { get; set; } = "";
    public string priority { get; set; } = "";
}

/// <summary>A review as written; <see cref="ScoredReviewRow"/> adds what the text analysis reads in it.</summary>
public class ReviewRow
{
    public long review_id { get; set; }
    public long customer_id { get; set; }
    public DateTime event_timestamp { get; set; }
    public int rating { get; set; }
    public string text { get; set; } = "";
}

public sealed class ScoredReviewRow : ReviewRow
{
    public double sentiment { get; set; }
    public double topic_0 { get; set; }
    public double topic_1 { get; set; }
    public double topic_2 { get; set; }
    public double topic_3 { get; set; }
}

/// <summary>Whether a customer had churned when they were looked at: the label a model learns, and when it was known.</summary>
public sealed class ChurnLabelRow
{
    public long customer_id { get; set; }
    public DateTime label_timestamp { get; set; }
    public bool churned { get; set; }
}
