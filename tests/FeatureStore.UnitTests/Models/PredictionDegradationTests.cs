using FeatureStore.Api;
using FeatureStore.Client;
using FeatureStore.ModelApi.Infrastructure;
using FeatureStore.ModelApi.Serving;

namespace FeatureStore.UnitTests.Models;

/// <summary>Which refusals of feature-api let a prediction go on without its online features: outages only.</summary>
public sealed class PredictionDegradationTests
{
    private static FeatureApiRejectedException Refused(int status, params ProblemField[] fields) =>
        new(new FeatureStoreException(status, "Refused", null, fields), "online features");

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void Feature_api_down_for_want_of_a_dependency_degrades_naming_what_it_lacks(int status)
    {
        var degradation = ChurnPredictor.DegradationOf(Refused(status, new ProblemField("onlineStore", "Redis cannot be reached")));
        Assert.NotNull(degradation);
        Assert.Equal("feature-api", degradation.Dependency);
        Assert.Equal($"feature-api answered {status} (onlineStore: Redis cannot be reached)", degradation.Reason);
    }

    [Fact]
    public void An_unreachable_feature_api_degrades_with_the_reason_it_could_not_be_reached()
    {
        var unreachable = new DependencyUnavailableException(
            [new FieldError("feature-api", "feature-api could not be reached for online features: Connection refused")]);
        Assert.Equal(new("feature-api", "feature-api could not be reached for online features: Connection refused"),
            ChurnPredictor.DegradationOf(unreachable));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(422)]
    [InlineData(500)] // a bug of feature-api's own is seen, not predicted around
    public void A_refusal_of_the_request_or_a_bug_still_fails(int status)
    {
        var refusal = Refused(status, new ProblemField("features[3]", "no feature view stats@v9"));
        Assert.Null(ChurnPredictor.DegradationOf(refusal));
        Assert.Null(ChurnPredictor.DegradationOf(FieldErrors.Invalid("customerId", "is not a valid customer_id")));
    }

    [Fact]
    public void A_problem_naming_no_field_still_gives_a_reason()
    {
        var degradation = ChurnPredictor.DegradationOf(Refused(503));
        Assert.Equal("feature-api answered 503", degradation?.Reason);
    }
}
