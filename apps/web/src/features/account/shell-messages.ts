/** What the application's shell shows of this feature before its pages load (the header's link, the failed sign-in notice, the sign-in page's wait), French first; bundled with the first view. */
export const shell = {
  link: 'Mon compte',
  failed_attempts_one: 'Depuis votre dernière connexion, {{count}} tentative de connexion a échoué sur votre compte. Si ce n’était pas vous, changez votre mot de passe et prévenez un administrateur.',
  failed_attempts_other: 'Depuis votre dernière connexion, {{count}} tentatives de connexion ont échoué sur votre compte. Si ce n’était pas vous, changez votre mot de passe et prévenez un administrateur.',
  dismiss: 'Masquer',
  retry_in: 'Réessayez dans {{minutes}} min.',
};
