// Deliveries from the other systems the repository's examples integrate, as those systems send
// them: both hosts' third-party example (a CI webhook into a channel) is driven with these.

/**
 * The body of GitHub's `workflow_run` webhook (header `x-github-event: workflow_run`) for a run
 * that completed with the failure conclusion; only the fields the examples read.
 * @param {{ repo: string, workflow: string, branch: string, url: string, commit: string, actor: string }} o
 */
export function failedWorkflowRun(o) {
  return {
    action: 'completed',
    workflow_run: {
      name: o.workflow,
      head_branch: o.branch,
      conclusion: 'failure',
      html_url: o.url,
      head_commit: { message: o.commit },
      actor: { login: o.actor },
    },
    repository: { full_name: o.repo },
  };
}
