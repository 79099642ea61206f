// The operations a front-end would ship, written with the generated graphql()
// function: GraphQL Code Generator reads them from here, validates them
// against ../../schema.graphql and types each document's result and variables.
import { graphql } from './generated/index.js';

export const loginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      accessToken
      refreshToken
      expiresAt
      user {
        id
        displayName
        role
      }
    }
  }
`);

export const dashboardQuery = graphql(`
  query Dashboard($first: Int!, $after: String, $filter: AccountFilter) {
    viewer {
      user {
        displayName
        role
      }
      tenant {
        name
        defaultCurrency
      }
    }
    accounts(first: $first, after: $after, filter: $filter, orderBy: NAME_ASC) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        tier
        status
        annualRevenue {
          amount
          currency
        }
        owner {
          displayName
        }
        contacts(first: 5) {
          nodes {
            ...ContactSummary
          }
        }
      }
    }
  }
`);

export const contactSummaryFragment = graphql(`
  fragment ContactSummary on Contact {
    id
    firstName
    lastName
    buyingRole
  }
`);

export const createAccountMutation = graphql(`
  mutation CreateAccount($input: CreateAccountInput!) {
    createAccount(input: $input) {
      account {
        id
        name
        tier
        version
        createdAt
        annualRevenue {
          amount
          currency
        }
        owner {
          displayName
        }
      }
    }
  }
`);

export const nodeByIdQuery = graphql(`
  query NodeById($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Account {
        name
        tier
      }
      ... on Contact {
        fullName
      }
    }
  }
`);
