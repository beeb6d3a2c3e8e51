<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_CA" sourcelanguage="en">
<context>
    <name>BlockedPanel</name>
    <message>
        <source>If you have the recovery key you wrote down when you created the log, use it to open the log. Otherwise, contact your organisation&apos;s support.</source>
        <translation>Si vous avez la clé de récupération notée à la création du journal, utilisez-la pour l&apos;ouvrir. Sinon, communiquez avec le soutien technique de votre organisme.</translation>
    </message>
    <message>
        <source>GroupDesk has not changed the file. Keep it as it is and contact your organisation&apos;s support; you can try again once the cause is fixed.</source>
        <translation>GroupDesk n&apos;a pas modifié le fichier. Laissez-le tel quel et communiquez avec le soutien technique de votre organisme; vous pourrez réessayer une fois la cause corrigée.</translation>
    </message>
    <message>
        <source>Session log folder: {folder}</source>
        <translation>Dossier du journal de séances : {folder}</translation>
    </message>
    <message>
        <source>GroupDesk cannot open your session log</source>
        <translation>GroupDesk ne peut pas ouvrir votre journal de séances</translation>
    </message>
    <message>
        <source>Use my &amp;recovery key</source>
        <translation>Utiliser ma clé de &amp;récupération</translation>
    </message>
    <message>
        <source>Use my recovery key</source>
        <translation>Utiliser ma clé de récupération</translation>
    </message>
    <message>
        <source>Try &amp;again</source>
        <translation>&amp;Réessayer</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Réessayer</translation>
    </message>
</context>
<context>
    <name>BusyPanel</name>
    <message>
        <source>Opening your session log…</source>
        <translation>Ouverture de votre journal de séances…</translation>
    </message>
    <message>
        <source>GroupDesk checks that the log is intact before showing it.</source>
        <translation>GroupDesk vérifie que le journal est intact avant de l&apos;afficher.</translation>
    </message>
</context>
<context>
    <name>CreatePanel</name>
    <message>
        <source>The two passphrases are different. Type the same passphrase twice.</source>
        <translation>Les deux phrases de passe sont différentes. Tapez deux fois la même phrase de passe.</translation>
    </message>
    <message>
        <source>Welcome to GroupDesk</source>
        <translation>Bienvenue dans GroupDesk</translation>
    </message>
    <message>
        <source>GroupDesk keeps your groups, attendance and session notes in an encrypted log on this computer. Choose how the log is protected.</source>
        <translation>GroupDesk conserve vos groupes, les présences et vos notes de séance dans un journal chiffré sur cet ordinateur. Choisissez comment ce journal est protégé.</translation>
    </message>
    <message>
        <source>Keep the key in this computer&apos;s keyring (recommended)</source>
        <translation>Garder la clé dans le trousseau de cet ordinateur (recommandé)</translation>
    </message>
    <message>
        <source>Protect the log with the keyring</source>
        <translation>Protéger le journal avec le trousseau</translation>
    </message>
    <message>
        <source>The log opens by itself when you are signed in to this computer.</source>
        <translation>Le journal s&apos;ouvre de lui-même quand votre session est ouverte sur cet ordinateur.</translation>
    </message>
    <message>
        <source>This computer has no keyring GroupDesk can use, so your log will be protected by a passphrase.</source>
        <translation>Cet ordinateur n&apos;a pas de trousseau que GroupDesk peut utiliser : votre journal sera donc protégé par une phrase de passe.</translation>
    </message>
    <message>
        <source>Protect it with a passphrase</source>
        <translation>Le protéger par une phrase de passe</translation>
    </message>
    <message>
        <source>Protect the log with a passphrase</source>
        <translation>Protéger le journal par une phrase de passe</translation>
    </message>
    <message>
        <source>You will type it each time GroupDesk starts. Choose a few words you will remember: nobody can open the log without the passphrase or your recovery key.</source>
        <translation>Vous la taperez à chaque démarrage de GroupDesk. Choisissez quelques mots dont vous vous souviendrez : personne ne peut ouvrir le journal sans la phrase de passe ou votre clé de récupération.</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Phrase de passe :</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Phrase de passe</translation>
    </message>
    <message>
        <source>&amp;Type it again:</source>
        <translation>&amp;Tapez-la de nouveau :</translation>
    </message>
    <message>
        <source>Passphrase again</source>
        <translation>Phrase de passe, de nouveau</translation>
    </message>
    <message>
        <source>&amp;Create my session log</source>
        <translation>&amp;Créer mon journal de séances</translation>
    </message>
    <message>
        <source>Create my session log</source>
        <translation>Créer mon journal de séances</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>{date}, {time} — {group}</source>
        <translation>{date}, {time} — {group}</translation>
    </message>
    <message>
        <source>No groups yet.
Create your first group: type its name above and press Create group (Ctrl+N).</source>
        <translation>Aucun groupe pour l&apos;instant.
Créez votre premier groupe : tapez son nom ci-dessus et appuyez sur Créer le groupe (Ctrl+N).</translation>
    </message>
    <message>
        <source>Past sessions will appear here once you have a group.</source>
        <translation>Les séances passées s&apos;afficheront ici une fois votre premier groupe créé.</translation>
    </message>
    <message>
        <source>No past sessions for this group yet.
Sessions you run with it will appear here.</source>
        <translation>Aucune séance passée pour ce groupe.
Les séances que vous animerez avec lui s&apos;afficheront ici.</translation>
    </message>
    <message>
        <source>No past sessions yet.
Sessions you run will appear here.</source>
        <translation>Aucune séance passée pour l&apos;instant.
Les séances que vous animerez s&apos;afficheront ici.</translation>
    </message>
    <message>
        <source>&amp;New group:</source>
        <translation>&amp;Nouveau groupe :</translation>
    </message>
    <message>
        <source>Name of the group</source>
        <translation>Nom du groupe</translation>
    </message>
    <message>
        <source>Name of the new group</source>
        <translation>Nom du nouveau groupe</translation>
    </message>
    <message>
        <source>Create group</source>
        <translation>Créer le groupe</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>Groupes</translation>
    </message>
    <message>
        <source>Past sessions</source>
        <translation>Séances passées</translation>
    </message>
    <message>
        <source>Show &amp;all groups</source>
        <translation>&amp;Tous les groupes</translation>
    </message>
    <message>
        <source>Show the sessions of all groups</source>
        <translation>Afficher les séances de tous les groupes</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>About GroupDesk</source>
        <extracomment>The size the window opens at (and the size of its screenshot).</extracomment>
        <translation>À propos de GroupDesk</translation>
    </message>
    <message>
        <source>GroupDesk {version}</source>
        <translation>GroupDesk {version}</translation>
    </message>
    <message>
        <source>Remote groups for social workers, counsellors and peer-support facilitators: fair turns, confidentiality and an encrypted session log that stays on this computer.</source>
        <translation>Groupes à distance pour les travailleuses et travailleurs sociaux, les conseillères et conseillers et les personnes qui animent des groupes d&apos;entraide : tours de parole équitables, confidentialité et journal de séances chiffré qui reste sur cet ordinateur.</translation>
    </message>
    <message>
        <source>Problem in your organisation&apos;s policy: {details}</source>
        <translation>Problème dans la politique de votre organisme : {details}</translation>
    </message>
    <message>
        <source>Organisation policy problems</source>
        <translation>Problèmes de la politique de l&apos;organisme</translation>
    </message>
    <message>
        <source>GroupDesk</source>
        <translation>GroupDesk</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;New group</source>
        <translation>&amp;Nouveau groupe</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;About GroupDesk</source>
        <translation>À &amp;propos de GroupDesk</translation>
    </message>
</context>
<context>
    <name>PassphrasePanel</name>
    <message>
        <source>Your session log is locked</source>
        <translation>Votre journal de séances est verrouillé</translation>
    </message>
    <message>
        <source>Type your passphrase to open it.</source>
        <translation>Tapez votre phrase de passe pour l&apos;ouvrir.</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Phrase de passe :</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Phrase de passe</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Déverrouiller</translation>
    </message>
    <message>
        <source>Unlock the session log</source>
        <translation>Déverrouiller le journal de séances</translation>
    </message>
    <message>
        <source>I forgot it: use my &amp;recovery key</source>
        <translation>Je l&apos;ai oubliée : utiliser ma clé de &amp;récupération</translation>
    </message>
    <message>
        <source>Use my recovery key</source>
        <translation>Utiliser ma clé de récupération</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyPanel</name>
    <message>
        <source>Write down your recovery key</source>
        <translation>Notez votre clé de récupération</translation>
    </message>
    <message>
        <source>Your session log is ready. If the key is ever lost (a new computer, a forgotten passphrase, a reset keyring), this recovery key is the only way to open the log again.</source>
        <translation>Votre journal de séances est prêt. Si la clé est un jour perdue (nouvel ordinateur, phrase de passe oubliée, trousseau réinitialisé), cette clé de récupération est le seul moyen de rouvrir le journal.</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>Clé de récupération</translation>
    </message>
    <message>
        <source>It is shown only this once. Write it on paper and keep it somewhere safe, away from this computer. Do not save it in a file or an email.</source>
        <translation>Elle n&apos;est affichée que cette fois-ci. Notez-la sur papier et gardez-la en lieu sûr, loin de cet ordinateur. Ne l&apos;enregistrez pas dans un fichier ni dans un courriel.</translation>
    </message>
    <message>
        <source>I have &amp;written down my recovery key</source>
        <translation>J&apos;ai &amp;noté ma clé de récupération</translation>
    </message>
    <message>
        <source>I have written down my recovery key</source>
        <translation>J&apos;ai noté ma clé de récupération</translation>
    </message>
    <message>
        <source>C&amp;ontinue</source>
        <translation>&amp;Continuer</translation>
    </message>
    <message>
        <source>Continue to my session log</source>
        <translation>Continuer vers mon journal de séances</translation>
    </message>
</context>
<context>
    <name>RecoveryPanel</name>
    <message>
        <source>The two passphrases are different. Type the same passphrase twice.</source>
        <translation>Les deux phrases de passe sont différentes. Tapez deux fois la même phrase de passe.</translation>
    </message>
    <message>
        <source>Open the log with your recovery key</source>
        <translation>Ouvrir le journal avec votre clé de récupération</translation>
    </message>
    <message>
        <source>Type the recovery key you wrote down when you created the log. Spaces, dashes and capitals do not matter.</source>
        <translation>Tapez la clé de récupération notée à la création du journal. Les espaces, les tirets et les majuscules n&apos;ont pas d&apos;importance.</translation>
    </message>
    <message>
        <source>&amp;Recovery key:</source>
        <translation>Clé de &amp;récupération :</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>Clé de récupération</translation>
    </message>
    <message>
        <source>This computer has no keyring GroupDesk can use: choose a new passphrase to protect the log from now on.</source>
        <translation>Cet ordinateur n&apos;a pas de trousseau que GroupDesk peut utiliser : choisissez une nouvelle phrase de passe pour protéger le journal désormais.</translation>
    </message>
    <message>
        <source>New &amp;passphrase:</source>
        <translation>Nouvelle &amp;phrase de passe :</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>Nouvelle phrase de passe</translation>
    </message>
    <message>
        <source>&amp;Type it again:</source>
        <translation>&amp;Tapez-la de nouveau :</translation>
    </message>
    <message>
        <source>New passphrase again</source>
        <translation>Nouvelle phrase de passe, de nouveau</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>&amp;Retour</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Déverrouiller</translation>
    </message>
    <message>
        <source>Unlock with the recovery key</source>
        <translation>Déverrouiller avec la clé de récupération</translation>
    </message>
</context>
<context>
    <name>Screenshot</name>
    <message>
        <source>Screenshot of the window saved to {path}</source>
        <extracomment>How long the first page may take to appear (key derivation, integrity check).</extracomment>
        <translation>Capture d&apos;écran de la fenêtre enregistrée dans {path}</translation>
    </message>
    <message>
        <source>Could not save the screenshot to {path}: {reason}</source>
        <translation>Impossible d&apos;enregistrer la capture d&apos;écran dans {path} : {reason}</translation>
    </message>
</context>
</TS>
