using FeatureStore.Api;
using FeatureStore.Registry.Compatibility;
using FeatureStore.Registry.Endpoints.Compatibility;
using FeatureStore.Registry.Storage;

namespace FeatureStore.UnitTests.Registry;

/// <summary>A refusal of the apply behind a Feature Store 2.0 call names the field of that call's body.</summary>
public sealed class CompatibilityPathsTests
{
    private static readonly Dictionary<string, string> Declared = new() { ["entities[0]"] = "entities[2]", ["sources[0]"] = "source" };

    [Theory]
    [InlineData("featureViews[0].schedule", "materialization_schedule")]
    [InlineData("featureViews[0].ttl", "ttl")]
    [InlineData("featureViews[0].schema[3].type", "data_type")]
    [InlineData("featureViews[0].schema[3].name", "name")]
    [InlineData("featureViews[0].schema[3]", "name")]
    [InlineData("featureViews[0].schema[1].type", "features[1].data_type")]
    [InlineData("featureViews[0].schema[3].validation.default", "default_value")]
    [InlineData("featureViews[0].schema[3].validation.allowedValues[1]", "allowed_values[1]")]
    [InlineData("featureViews[0].schema[3].validation.notNull", "validation_rules.not_null")]
    [InlineData("featureViews[0].transformation.sql", "transformation")]
    [InlineData("featureViews[0].aggregations[0].window", "transformation.window")]
    [InlineData("featureViews[0].entities[1]", "entities[1]")]
    [InlineData("entities[0].joinKeys[0].type", "entities[2].join_keys[0].type")]
    [InlineData("sources[0].timestampField", "source.timestamp_field")]
    [InlineData("sources[0]", "source")]
    public void Names_the_body_field(string applied, string sent) =>
        Assert.Equal(sent, CompatibilityPaths.Translate(applied, Declared, feature: 3));

    [Fact]
    public void A_date_is_its_whole_day_and_an_instant_itself()
    {
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 0, 0, 0, TimeSpan.Zero),
            MaterializeFeatureSetRequest.Instant("2024-01-31", end: false));
        Assert.Equal(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(-10),
            MaterializeFeatureSetRequest.Instant("2024-01-31", end: true));
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 10, 0, 0, TimeSpan.Zero),
            MaterializeFeatureSetRequest.Instant("2024-01-31T12:00:00+02:00", end: true));
        Assert.Null(MaterializeFeatureSetRequest.Instant("last tuesday", end: false));
    }

    [Fact]
    public void The_window_is_read_as_it_is_set_and_refused_in_the_body_fields()
    {
        var backwards = new MaterializeFeatureSetRequest { StartDate = "2024-02-01", EndDate = "2024-01-31" };
        Assert.Equal(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), backwards.Start);
        Assert.Equal(MaterializeFeatureSetRequest.Instant("2024-01-31", end: true), backwards.End);
        Assert.Equal([("end_date", "must not be before start_date")], Refusals(backwards));
        Assert.Equal([("start_date", "must be a date (2024-01-31) or an ISO 8601 instant")],
            Refusals(new MaterializeFeatureSetRequest { StartDate = "last tuesday", EndDate = "2024-01-31" }));
        Assert.Equal(["start_date", "end_date"], Refusals(new MaterializeFeatureSetRequest()).Select(r => r.Field));

        static List<(string Field, string Reason)> Refusals(MaterializeFeatureSetRequest request) =>
            new MaterializeFeatureSetValidator().Validate(request).Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ToList();
    }

    [Fact]
    public void A_translated_refusal_is_the_same_kind_of_refusal()
    {
        Assert.IsType<ConflictException>(CompatibilityPaths.Translated(new ActiveJobExistsException("spend", Guid.Empty), Declared));
        Assert.IsType<InvalidRequestException>(CompatibilityPaths.Translated(FieldErrors.Invalid("sources[0]", "missing"), Declared));
        var chosen = Assert.IsType<FieldErrorsException>(CompatibilityPaths.Translated(
            new FieldErrorsException(422, [new FieldError("sources[0].timestampField", "absent")]), Declared));
        Assert.Equal((422, "source.timestamp_field", "absent"), (chosen.Status, chosen.Errors[0].Field, chosen.Errors[0].Reason));
    }
}
