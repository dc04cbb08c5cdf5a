/** The hub's and API's wire types (NegotiationHub.Contracts and the REST views, camelCase); WireTypesTests keeps the hub contract's ones equal to the C# records. */

export type SessionState = 'draft' | 'open' | 'agreed' | 'closed';
export type BidMode = 'sealed' | 'open';

export interface PartyView { index: number; name: string; category: string; power: number; disagreementPoint: number }
export interface MemberPresence { userName: string; partyIndex?: number | null }
export interface RoundBidView { partyIndex: number; demand?: number | null }
export interface RoundView { round: number; state: 'open' | 'closed'; openedUtc: string; deadlineUtc: string; bids: RoundBidView[] }
export interface PartyRoundView { partyIndex: number; power: number; demand: number; fearOfBreakdown: number; ratio: number; target: number; autoConceded: boolean; nextDemand?: number | null }
export interface RoundAnalysisView {
  round: number; closedUtc: string; parties: PartyRoundView[]; gap: number; compatible: boolean;
  mustConcede: number[]; distance: number; nashEfficiency: number; ratioSpread: number;
}
export interface AgreementView { round: number; allocation: number[]; shares: number[]; contractId: string; reachedUtc: string }
export interface ContractView { contractId: string; revision: number; shares: number[]; tangibleShares?: number[] | null; effectiveUtc: string }

export interface SessionSnapshot {
  sessionId: string; sequence: number; name: string; state: SessionState; bidMode: BidMode; pool: number;
  parties: PartyView[]; ownPartyIndex?: number | null; currentRound?: RoundView | null; rounds: RoundAnalysisView[];
  agreement?: AgreementView | null; contract?: ContractView | null; online: MemberPresence[]; serverTimeUtc: string;
}
export interface SessionMessage { sessionId: string; sequence: number }
export interface RoundOpened extends SessionMessage { round: number; openedUtc: string; deadlineUtc: string }
export interface BidAccepted extends SessionMessage { round: number; partyIndex: number; bidId: string; demand?: number | null; proposal?: number[] | null }
export interface RoundClosed extends SessionMessage { analysis: RoundAnalysisView }
export interface AgreementReached extends SessionMessage { agreement: AgreementView }
export interface ContractRevised extends SessionMessage { contract: ContractView; optimalShares: number[] }
export interface PresenceChanged extends SessionMessage { online: MemberPresence[] }
export interface BidAck { sessionId: string; bidId: string; round: number; partyIndex: number; duplicate: boolean; sequence: number }

/** GET /api/account/2fa: the user's authenticator, and while it is off the key to set one up. */
export interface TwoFactorView { enabled: boolean; required: boolean; signedInWithCode: boolean; sharedKey: string | null; authenticatorUri: string | null }

export interface UserView { id: string; userName: string; displayName: string; roles: string[]; language: string; disabled?: boolean; twoFactorEnabled?: boolean }

/** An invitation or reset link; `link` is present only in the answer that made it. */
export interface InvitationView {
  id: string; kind: 'invite' | 'reset'; userName: string; displayName: string; role: string; sessionId: string | null; partyIndex: number | null;
  createdUtc: string; expiresUtc: string; status: 'pending' | 'used' | 'expired' | 'revoked'; link: string | null;
}
export interface SessionSummary { id: string; name: string; state: SessionState; bidMode: BidMode; parties: number; currentRound: number; createdUtc: string; myRole?: string | null; myParty?: number | null }
export interface Page<T> { items: T[]; pageNumber: number; pageSize: number; total: number }
export interface SessionPartyView { index: number; name: string; category: string; utilityKind: string; utilityParameter?: number | null; disagreement: number }
export interface MemberView { userId: string; userName: string; displayName: string; role: string; partyIndex?: number | null }
export interface SessionDetail {
  id: string; name: string; description?: string | null; state: SessionState; bidMode: BidMode; pool: number; tangiblePool: number;
  roundDeadlineSeconds: number; currentRound: number; parties: SessionPartyView[]; factors: { index: number; name: string; weight: number }[];
  powers: number[]; targetAllocation: number[]; members: MemberView[]; myRole?: string | null; myParty?: number | null;
}
