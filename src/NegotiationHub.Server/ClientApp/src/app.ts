import { api } from './api';
import { Language, MessageKey, normalizeLanguage, ruleText, translate } from './i18n';
import { setRuleTranslator } from './problems';
import type { UserView } from './wire';

const storageKey = 'nh.language';

/** The signed-in user and the UI language, shared by every page. */
export const app = {
  user: null as UserView | null,
  language: normalizeLanguage(localStorage.getItem(storageKey) ?? navigator.language),
  rerender: () => {},
};

// Server rules (ProblemDetails.fieldErrors) are shown in the language the user chose.
setRuleTranslator((error) => ruleText(app.language, error));

export function t(key: MessageKey | string, params?: Record<string, string | number>): string {
  return translate(app.language, key, params);
}

/** Switches the language now, remembers it in the browser and, when signed in, on the account. */
export async function setLanguage(language: Language): Promise<void> {
  app.language = language;
  localStorage.setItem(storageKey, language);
  document.documentElement.lang = language;
  if (app.user) {
    app.user = await api<UserView>('PUT', '/api/account/language', { language });
  }
  app.rerender();
}

/** Adopts a signed-in user, taking the language remembered on the account. */
export function adoptUser(user: UserView | null): void {
  app.user = user;
  if (user?.language) {
    app.language = normalizeLanguage(user.language);
    localStorage.setItem(storageKey, app.language);
  }
  document.documentElement.lang = app.language;
}

export const hasRole = (role: string) => app.user?.roles.includes(role) ?? false;
