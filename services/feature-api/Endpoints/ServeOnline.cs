using System.Diagnostics;
using System.Text.Json;
using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.FeatureApi.Serving;
using FluentValidation;

namespace FeatureStore.FeatureApi.Endpoints;

/// <summary>
/// <c>POST /api/v1/serving/online</c> (Feature Store 2.0): the same read as <see cref="GetOnlineFeatures"/> for entity rows
/// (<c>[{"customer_id": 1}]</c>), answered as <c>features</c> per entity and <c>metadata.latency_ms</c> (the server's time for the
/// read).
/// </summary>
[Access(FeatureAction.ReadOnline)]
public sealed class ServeOnline(OnlineFeatureReader reader, ServingMetrics metrics) : Endpoint<ServingOnlineRequestDto>
{
    public override void Configure()
    {
        Post("serving/online");
        Options(route => route.WithRequestTimeout(TimeoutPolicies.Online));
        Description(d => d.Produces(200, typeof(void), "application/json").Produces<ProblemDocument>(503, "application/problem+json"));
    }

    public override async Task HandleAsync(ServingOnlineRequestDto request, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var timer = metrics.Time("serving/online");
        var rows = request.Entities!;
        var answer = await reader.ReadAsync(new OnlineFeaturesRequestDto
        {
            Project = request.Project, Features = request.Features, FeatureService = request.FeatureService,
            Entities = rows[0].Keys.ToDictionary(column => column, column => rows.Select(row => row[column]).ToList()),
        }, SelectionFields.Feast, ReadCaller.Of(HttpContext, "serving/online"), ct);
        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        HttpContext.Response.StatusCode = 200;
        HttpContext.Response.ContentType = "application/json; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(HttpContext.Response.BodyWriter))
            OnlineResponseJson.WriteServing(writer, answer, latency);
        await HttpContext.Response.BodyWriter.FlushAsync(ct);
    }
}

public sealed class ServeOnlineValidator : Validator<ServingOnlineRequestDto>
{
    public ServeOnlineValidator()
    {
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        this.AddFeatureChoiceRules(r => r.Features, r => r.FeatureService, SelectionFields.Feast);
        RuleFor(r => r.Entities).NotEmpty().WithMessage("must hold at least one entity row, such as [{\"customer_id\": 1001}]");
        RuleFor(r => r.Entities).Must(rows => rows!.Count <= GetOnlineFeaturesValidator.MaxEntityRows)
            .WithMessage($"may hold at most {GetOnlineFeaturesValidator.MaxEntityRows} entity rows per request")
            .When(r => r.Entities is { Count: > 0 });
        RuleForEach(r => r.Entities).Must((r, row) => row is { Count: > 0 } && row.Keys.Order().SequenceEqual(r.Entities![0].Keys.Order()))
            .WithMessage("must name the same join keys as the first row, each once").When(r => r.Entities is { Count: > 0 });
    }
}
