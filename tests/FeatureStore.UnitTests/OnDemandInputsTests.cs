using FeatureStore.Domain;

namespace FeatureStore.UnitTests;

public sealed class OnDemandInputsTests
{
    private static readonly OnDemandFeatureViewDefinition View = new("p", "signals", ["activity", "profile", "recency"],
        [new OnDemandInput("activity", "purchases_30d", FeatureValueType.Int64),
         new OnDemandInput("profile", "signed_up_at", FeatureValueType.Timestamp),
         new OnDemandInput("recency", "last_activity_at", FeatureValueType.Timestamp)],
        [new SourceField("as_of", FeatureValueType.Timestamp)],
        [], new ObjectMetadata(null, null, null));

    private static string[] Used(string expression) =>
        OnDemandSql.InputsOf(View, new OnDemandFeature("f", FeatureValueType.Float64, expression)).Select(i => i.Feature).Order().ToArray();

    [Fact]
    public void An_expression_uses_the_inputs_it_names_and_no_others()
    {
        Assert.Equal(["signed_up_at"], Used("date_diff('second', signed_up_at, as_of) / 86400.0"));
        Assert.Equal(["purchases_30d", "signed_up_at"],
            Used("purchases_30d / nullif(least(30, date_diff('day', signed_up_at, as_of)), 0)"));
    }

    [Fact]
    public void Both_names_quotes_and_case_count_but_literals_do_not()
    {
        Assert.Equal(["purchases_30d"], Used("activity__purchases_30d * 2"));
        Assert.Equal(["last_activity_at"], Used("\"Last_Activity_At\" < as_of"));
        Assert.Equal(["purchases_30d"], Used("PURCHASES_30D + 1"));
        Assert.Empty(Used("'purchases_30d' || 'it''s signed_up_at'"));
    }
}
