using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Data.Configurations;

internal sealed class ContractConfiguration : IEntityTypeConfiguration<Contract>
{
    public void Configure(EntityTypeBuilder<Contract> b)
    {
        b.ToTable("Contracts");
        b.HasKey(c => c.Id);
        b.HasIndex(c => c.SessionId).IsUnique();
        b.HasOne<NegotiationSession>().WithMany().HasForeignKey(c => c.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.Property(c => c.Version).IsConcurrencyToken();
        b.HasMany(c => c.Revisions).WithOne().HasForeignKey(r => r.ContractId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContractRevisionConfiguration : IEntityTypeConfiguration<ContractRevisionRecord>
{
    public void Configure(EntityTypeBuilder<ContractRevisionRecord> b)
    {
        b.ToTable("ContractRevisions");
        b.HasKey(r => new { r.ContractId, r.Number });
        b.Property(r => r.Kind).HasMaxLength(16);
        b.Property(r => r.CreatedById).HasMaxLength(64);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("AuditEntries");
        b.HasKey(e => e.Id);
        b.Property(e => e.Chain).HasMaxLength(64).IsRequired();
        b.Property(e => e.Actor).HasMaxLength(256).IsRequired();
        b.Property(e => e.Type).HasMaxLength(64).IsRequired();
        b.Property(e => e.PreviousHash).HasMaxLength(64).IsRequired();
        b.Property(e => e.Hash).HasMaxLength(64).IsRequired();
        b.HasIndex(e => new { e.Chain, e.Sequence }).IsUnique();
    }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> b)
    {
        b.ToTable("Invitations");
        b.HasKey(i => i.Id);
        b.Property(i => i.TokenHash).HasMaxLength(64).IsRequired();
        b.HasIndex(i => i.TokenHash).IsUnique();
        b.Property(i => i.Kind).HasMaxLength(16).IsRequired();
        b.Property(i => i.UserName).HasMaxLength(64).IsRequired();
        b.HasIndex(i => i.UserName);
        b.Property(i => i.DisplayName).HasMaxLength(200);
        b.Property(i => i.Role).HasMaxLength(32);
        b.Property(i => i.UserId).HasMaxLength(64);
        b.Property(i => i.CreatedById).HasMaxLength(64);
        b.HasIndex(i => i.SessionId);
        b.HasOne<NegotiationSession>().WithMany().HasForeignKey(i => i.SessionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(200);
        b.Property(u => u.PreferredLanguage).HasMaxLength(8);
        // Existing accounts are enabled: the column is added with a default, and the model says so too.
        b.Property(u => u.Disabled).HasDefaultValue(false);
    }
}
