using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.FeatureApi.Push;
using FluentValidation;

namespace FeatureStore.FeatureApi.Endpoints;

/// <summary>
/// <c>POST /api/v1/push</c> <c>{pushSource, rows, to}</c>: rows checked against the push source's schema and
/// the views reading it, then written online (newer wins), offline (catalogued like a materialization's
/// output) or both. Nothing is written when any row is wrong.
/// </summary>
[Access(FeatureAction.WriteOnline)]
public sealed class PushRows(PushWriter writer, ServingMetrics metrics) : Endpoint<PushRequestDto, PushResultDto>
{
    public const int MaxRows = 100_000;

    public override void Configure()
    {
        Post("push");
        // MaxRows rows of a few hundred bytes each: more than the default body limit.
        Options(route => route.WithMetadata(new BodyLimit(64L * 1024 * 1024)).WithRequestTimeout(TimeoutPolicies.Long));
        Description(d => d.Produces<ProblemDocument>(503, "application/problem+json"));
    }

    public override async Task HandleAsync(PushRequestDto request, CancellationToken ct)
    {
        using var timer = metrics.Time("push");
        var project = Names.ProjectOrDefault(request.Project);
        var target = Target(request.To)!.Value;
        if (target != PushTarget.Online) AccessCheck.Demand(HttpContext, FeatureAction.WriteOffline, project);
        await Send.OkAsync(await writer.PushAsync(project, request.PushSource!, target, request.Rows!, ct), ct);
    }

    public static PushTarget? Target(string? to) => to?.ToLowerInvariant() switch
    {
        null or "online" => PushTarget.Online,
        "offline" => PushTarget.Offline,
        "online_and_offline" => PushTarget.OnlineAndOffline,
        _ => null,
    };
}

public sealed class PushRowsValidator : Validator<PushRequestDto>
{
    public PushRowsValidator()
    {
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.PushSource).MustBeName();
        RuleFor(r => r.Rows).NotEmpty().WithMessage("must hold at least one row");
        RuleFor(r => r.Rows).Must(rows => rows!.Count <= PushRows.MaxRows)
            .WithMessage($"may hold at most {PushRows.MaxRows} rows per request")
            .When(r => r.Rows is not null);
        RuleFor(r => r.To).Must(to => PushRows.Target(to) is not null).WithMessage("must be online, offline or online_and_offline");
    }
}
