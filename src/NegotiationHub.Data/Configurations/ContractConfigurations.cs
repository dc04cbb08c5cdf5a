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

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(200);
        b.Property(u => u.PreferredLanguage).HasMaxLength(8);
    }
}
