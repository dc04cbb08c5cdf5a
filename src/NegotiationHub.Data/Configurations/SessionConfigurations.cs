using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Data.Configurations;

internal sealed class NegotiationSessionConfiguration : IEntityTypeConfiguration<NegotiationSession>
{
    public void Configure(EntityTypeBuilder<NegotiationSession> b)
    {
        b.ToTable("Sessions");
        b.HasKey(s => s.Id);
        b.Property(s => s.Name).HasMaxLength(200).IsRequired();
        b.Property(s => s.Description).HasMaxLength(2000);
        b.Property(s => s.State).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.BidMode).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.CreatedById).HasMaxLength(64);
        b.Property(s => s.Version).IsConcurrencyToken();
        b.HasIndex(s => s.CreatedUtc);
        b.HasMany(s => s.Parties).WithOne().HasForeignKey(p => p.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(s => s.Factors).WithOne().HasForeignKey(f => f.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(s => s.Strengths).WithOne().HasForeignKey(r => r.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(s => s.Members).WithOne().HasForeignKey(m => m.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(s => s.Rounds).WithOne().HasForeignKey(r => r.SessionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SessionPartyConfiguration : IEntityTypeConfiguration<SessionParty>
{
    public void Configure(EntityTypeBuilder<SessionParty> b)
    {
        b.ToTable("Parties");
        b.HasKey(p => new { p.SessionId, p.Index });
        b.Property(p => p.Name).HasMaxLength(200).IsRequired();
        b.Property(p => p.Category).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.UtilityKind).HasConversion<string>().HasMaxLength(16);
    }
}

internal sealed class SessionFactorConfiguration : IEntityTypeConfiguration<SessionFactor>
{
    public void Configure(EntityTypeBuilder<SessionFactor> b)
    {
        b.ToTable("Factors");
        b.HasKey(f => new { f.SessionId, f.Index });
        b.Property(f => f.Name).HasMaxLength(200).IsRequired();
    }
}

internal sealed class StrengthReadingConfiguration : IEntityTypeConfiguration<StrengthReading>
{
    public void Configure(EntityTypeBuilder<StrengthReading> b)
    {
        b.ToTable("StrengthReadings");
        b.HasKey(r => r.Id);
        b.Property(r => r.RecordedById).HasMaxLength(64);
        b.HasIndex(r => new { r.SessionId, r.Period, r.PartyIndex, r.FactorIndex }).IsUnique();
    }
}

internal sealed class SessionMembershipConfiguration : IEntityTypeConfiguration<SessionMembership>
{
    public void Configure(EntityTypeBuilder<SessionMembership> b)
    {
        b.ToTable("Memberships");
        b.HasKey(m => new { m.SessionId, m.UserId });
        b.Property(m => m.UserId).HasMaxLength(64);
        b.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(m => m.UserId);
        b.HasOne<AppUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RoundConfiguration : IEntityTypeConfiguration<Round>
{
    public void Configure(EntityTypeBuilder<Round> b)
    {
        b.ToTable("Rounds");
        b.HasKey(r => new { r.SessionId, r.Number });
        b.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.CloseReason).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(r => new { r.State, r.DeadlineUtc });
        b.HasMany(r => r.Bids).WithOne().HasForeignKey(x => new { x.SessionId, x.RoundNumber }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BidConfiguration : IEntityTypeConfiguration<Bid>
{
    public void Configure(EntityTypeBuilder<Bid> b)
    {
        b.ToTable("Bids");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.SubmittedById).HasMaxLength(64);
        b.HasIndex(x => new { x.SessionId, x.RoundNumber, x.PartyIndex }).IsUnique();
    }
}
