namespace MaintenanceMiddleware;

/// <summary>Bypass links: created, listed, revoked and their first use recorded, each a state change with an audit entry.</summary>
internal sealed partial class MaintenanceModeService
{
    /// <summary>The most links (live or revoked, not yet expired) one application's state holds.</summary>
    internal const int MaxBypassLinks = 100;

    private const string DefaultRevokeReason = "Bypass link revoked.";

    /// <inheritdoc />
    public async Task<MaintenanceBypassLinkCreated> CreateBypassLinkAsync(CreateBypassLinkRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var application = ValidateApplication(request.Application);
        if (!MaintenanceRules.TryValidateBypassName(request.Name, out var error))
        {
            throw new MaintenanceValidationException("name", error);
        }

        ValidateReason(request.Reason);
        var cap = _options.BypassLinkMaxLifetime;
        if (request.Lifetime <= TimeSpan.Zero)
        {
            throw new MaintenanceValidationException("duration", "The lifetime of a bypass link must be positive, e.g. 2h.");
        }

        if (request.Lifetime > cap)
        {
            throw new MaintenanceValidationException(
                "duration",
                $"The lifetime {MaintenanceDuration.Format(request.Lifetime)} is longer than the longest allowed, {MaintenanceDuration.Format(cap)} ({MaintenanceModeOptions.SectionName}:BypassLinkMaxLifetime).");
        }

        var actor = request.Actor ?? MaintenanceActor.Code();
        var now = _time.GetUtcNow();
        var (id, token, hash) = BypassLinkSet.NewCredential();
        var link = new MaintenanceBypassLink
        {
            Id = id,
            Application = application,
            Name = request.Name,
            Reason = request.Reason,
            CreatedBy = actor.Name,
            CreatedAt = now,
            ExpiresAt = now + request.Lifetime,
            TokenHash = hash,
        };
        await ChangeAsync(application, null, MaintenanceAction.BypassCreate, request.Reason, actor, before =>
        {
            var kept = Unexpired(before.BypassLinks, now);
            if (kept.Count >= MaxBypassLinks)
            {
                throw new MaintenanceValidationException("application", $"'{before.Application}' already has {kept.Count} bypass links; revoke some ('maintenance bypass list') or let them expire.");
            }

            return before with { BypassLinks = [.. kept, link] };
        }, now, cancellationToken).ConfigureAwait(false);
        return new MaintenanceBypassLinkCreated { Link = link, Path = MaintenanceBypassLinkCreated.PathPrefix + id + "." + token };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MaintenanceBypassLink>> GetBypassLinksAsync(string? application = null, CancellationToken cancellationToken = default)
    {
        if (application is not null)
        {
            application = ValidateApplication(application);
        }

        var states = await _store.GetStatesAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        return [.. states
            .Where(s => application is null || s.Application == MaintenanceState.AllApplications || string.Equals(s.Application, application, StringComparison.OrdinalIgnoreCase))
            .SelectMany(s => s.BypassLinks)
            .Where(l => l.IsLiveAt(now))
            .OrderBy(l => l.ExpiresAt)];
    }

    /// <inheritdoc />
    public async Task<MaintenanceBypassLink> RevokeBypassLinkAsync(RevokeBypassLinkRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Id))
        {
            throw new MaintenanceValidationException("id", "The id of the bypass link is required ('maintenance bypass list' shows them).");
        }

        var reason = request.Reason ?? DefaultRevokeReason;
        ValidateReason(reason);
        var actor = request.Actor ?? MaintenanceActor.Code();
        var now = _time.GetUtcNow();
        var (state, link) = await FindLinkAsync(request.Id, cancellationToken).ConfigureAwait(false);
        var shown = MaintenanceText.Sanitize(request.Id);
        if (link is null || state is null)
        {
            throw new MaintenanceValidationException("id", $"There is no bypass link '{shown}'; 'maintenance bypass list' shows the live ones.");
        }

        if (link.RevokedAt is { } revokedAt)
        {
            throw new MaintenanceValidationException("id", $"The bypass link '{link.Id}' was already revoked at {revokedAt:O} by {link.RevokedBy}; nothing changed.");
        }

        if (now >= link.ExpiresAt)
        {
            throw new MaintenanceValidationException("id", $"The bypass link '{link.Id}' expired at {link.ExpiresAt:O}; it opens nothing, so there is nothing to revoke.");
        }

        var revoked = link with { RevokedAt = now, RevokedBy = actor.Name };
        await ChangeAsync(state.Application, null, MaintenanceAction.BypassRevoke, reason, actor, before => before with
        {
            BypassLinks = [.. Unexpired(before.BypassLinks, now).Select(l => l.Id == link.Id ? revoked : l)],
        }, now, cancellationToken).ConfigureAwait(false);
        return revoked;
    }

    /// <summary>
    /// Records the first opening of a link (once; an instance calls it from a background queue, never on a request).
    /// Returns whether this call recorded it: false when it was recorded already, or the link is gone.
    /// </summary>
    internal async Task<bool> RecordBypassUseAsync(string id, string source, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (state, link) = await FindLinkAsync(id, cancellationToken).ConfigureAwait(false);
            if (state is null || link is null || link.FirstUsedAt is not null)
            {
                return false;
            }

            var now = _time.GetUtcNow();
            try
            {
                await ChangeAsync(state.Application, state.Version, MaintenanceAction.BypassUse, $"Bypass link '{link.Id}' ({link.Name}) opened for the first time.", new MaintenanceActor(link.Name, source), before => before with
                {
                    BypassLinks = [.. before.BypassLinks.Select(l => l.Id == link.Id ? l with { FirstUsedAt = now } : l)],
                }, now, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (MaintenanceConflictException) when (attempt < 3)
            {
                // Someone changed the state meanwhile: read again (the link may have been recorded by another instance).
            }
        }
    }

    private async Task<(MaintenanceState? State, MaintenanceBypassLink? Link)> FindLinkAsync(string id, CancellationToken cancellationToken)
    {
        foreach (var state in await _store.GetStatesAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var link in state.BypassLinks)
            {
                if (string.Equals(link.Id, id.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    return (state, link);
                }
            }
        }

        return (null, null);
    }

    private static List<MaintenanceBypassLink> Unexpired(IReadOnlyList<MaintenanceBypassLink> links, DateTimeOffset now) =>
        [.. links.Where(l => now < l.ExpiresAt)];
}
